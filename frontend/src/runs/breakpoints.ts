/** Breakpoints of local runs, the pure part: which states a definition has, toggling, the paused label. */
import type { ChildrenPage, Paused } from "../api/runs";

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

/** The states the run is paused before: from the execution's `paused` list, and from its live children's
 * per-state counts (polled every second, so a paused iteration shows before the detail is read again). */
export function pausedStates(paused: readonly Paused[], children: ChildrenPage | null | undefined): Set<string> {
  const names = new Set(paused.map((p) => p.state));
  if (children?.live) for (const [name, here] of Object.entries(children.states ?? {})) if (here.paused > 0) names.add(name);
  return names;
}

/** Where a fan-out's children are paused: when it changes, the execution's `paused` list has too. (Not its
 * done and running counts: they move every second in a big Map, and the detail costs more than the counts.) */
export function childrenKey(children: ChildrenPage | null | undefined): string {
  if (!children?.live) return "";
  const paused = Object.entries(children.states ?? {})
    .filter(([, h]) => h.paused > 0)
    .map(([name, h]) => `${name}=${h.paused}`)
    .sort();
  return `${children.state}:${paused.join(",")}`;
}

/** "5 paused before Work", or "5 paused: 3 before Work, 2 before Check" across states. */
export function allPausedTitle(paused: readonly Paused[]): string {
  const by = new Map<string, number>();
  for (const p of paused) by.set(p.state, (by.get(p.state) ?? 0) + 1);
  if (by.size === 1) return `${paused.length} paused before ${paused[0].state}`;
  return `${paused.length} paused: ${[...by].map(([state, n]) => `${n} before ${state}`).join(", ")}`;
}
