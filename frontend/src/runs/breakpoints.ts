/** Breakpoints of local runs, the pure part: which states a definition has, toggling, the paused label. */
import type { Paused } from "../api/runs";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Every state name of a definition, those inside Parallel branches and Map processors too, in document order.
 * Names are unique machine-wide, which is why one breakpoint set serves the whole run. */
export function allStateNames(definition: unknown): string[] {
  const names: string[] = [];
  const walk = (machine: unknown) => {
    if (!isObj(machine) || !isObj(machine.States)) return;
    for (const [name, state] of Object.entries(machine.States)) {
      names.push(name);
      if (!isObj(state)) continue;
      if (Array.isArray(state.Branches)) state.Branches.forEach(walk);
      walk(state.ItemProcessor ?? state.Iterator);
    }
  };
  walk(definition);
  return names;
}

/** The set with `name` added or taken out, sorted as the server returns it. */
export function toggled(breakpoints: readonly string[], name: string): string[] {
  const set = new Set(breakpoints);
  if (set.has(name)) set.delete(name);
  else set.add(name);
  return [...set].sort();
}

/** "Paused before Double", with the iteration or branch when a child execution is the one paused. */
export function pausedTitle(p: Paused, executionName: string): string {
  const where = p.name !== executionName && p.name.startsWith(`${executionName}/`) ? p.name.slice(executionName.length + 1) : "";
  const part = !where ? "" : where.startsWith("b") ? ` (branch ${where.slice(1)})` : ` (iteration ${where})`;
  return `Paused before ${p.state}${part}`;
}
