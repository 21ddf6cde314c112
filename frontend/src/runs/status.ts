/**
 * From an execution's history (AWS GetExecutionHistory events) to what the execution view shows:
 * which state each event belongs to, each visit of each state, and one status per state.
 * Pure and incremental-friendly: the view re-runs it over the events it has after every poll.
 */
import type { ChildrenPage, ExecutionStatus, HistoryEvent, LiveHere } from "../api/runs";

export type RunStatus = "not-run" | "running" | "succeeded" | "failed" | "caught" | "aborted";

export const STATUS_LABELS: Record<RunStatus, string> = {
  "not-run": "Not run",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught",
  aborted: "Aborted",
};

export interface Failure {
  eventId: number;
  type: string;
  error: string | null;
  cause: string | null;
}

/** One entry into a state (a Map iteration or a loop enters the same state again). */
export interface Visit {
  name: string;
  type: string;
  enteredId: number;
  enteredAt: number;
  exitedAt: number | null;
  input: unknown;
  output: unknown;
  exited: boolean;
  /** TaskScheduled events: 1 + the retries */
  attempts: number;
  failures: Failure[];
  /** the last thing that happened in it was a failure (an exit after it means it was caught) */
  failing: boolean;
  /** an enclosing Map iteration, branch or state ended while this visit had not exited */
  closed: boolean;
  /** Map: iteration index the visit ran in, when known */
  iteration: number | null;
  status: RunStatus;
  events: number[];
}

export interface StateRun {
  name: string;
  status: RunStatus;
  visits: Visit[];
  /** Map: iterations ended (failed among them) of the total */
  progress: { done: number; failed: number; total: number | null } | null;
}

export interface RunView {
  /** event id → state name (null for execution-level events) */
  stateOf: Map<number, string | null>;
  states: Map<string, StateRun>;
  startedAt: number | null;
  failure: Failure | null;
}

const FAILURE_TYPES = /(Failed|TimedOut)$/;

/** The `…EventDetails` object of an event, whatever its type. */
export function details(e: HistoryEvent): Record<string, unknown> | null {
  for (const [k, v] of Object.entries(e)) if (k.endsWith("EventDetails") && v && typeof v === "object") return v as Record<string, unknown>;
  return null;
}

/** History payloads are JSON text; show them as values when they parse. */
export function parsePayload(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

interface Frame {
  name: string;
  type: string;
  visit: Visit;
}

export function deriveRun(events: HistoryEvent[], executionStatus: ExecutionStatus | null): RunView {
  const stateOf = new Map<number, string | null>();
  const states = new Map<string, StateRun>();
  const stack: Frame[] = [];
  const iteration = new Map<string, number>();
  let failure: Failure | null = null;
  let lastEntered: Visit | null = null;
  const startedAt = events.length ? Date.parse(events[0].timestamp) : null;

  const run = (name: string): StateRun => {
    let r = states.get(name);
    if (!r) {
      r = { name, status: "not-run", visits: [], progress: null };
      states.set(name, r);
    }
    return r;
  };
  const popTo = (pred: (f: Frame) => boolean): Frame | null => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (pred(stack[i])) {
        for (let j = i + 1; j < stack.length; j++) stack[j].visit.closed = true;
        stack.length = i + 1;
        return stack[i];
      }
    }
    return null;
  };

  for (const e of events) {
    const d = details(e) ?? {};
    const t = e.type;
    if (t.endsWith("StateEntered")) {
      const name = str(d.name) ?? "?";
      const type = t.slice(0, -"StateEntered".length);
      const inMap = [...stack].reverse().find((f) => f.type === "Map");
      const visit: Visit = {
        name, type, enteredId: e.id, enteredAt: Date.parse(e.timestamp), exitedAt: null, input: parsePayload(d.input), output: undefined,
        exited: false, attempts: 0, failures: [], failing: false, closed: false, iteration: inMap ? (iteration.get(inMap.name) ?? null) : null,
        status: "running", events: [e.id],
      };
      run(name).visits.push(visit);
      stack.push({ name, type, visit });
      stateOf.set(e.id, name);
      lastEntered = visit;
      continue;
    }
    if (t.endsWith("StateExited")) {
      const name = str(d.name) ?? "?";
      const f = popTo((x) => x.name === name);
      if (f) {
        stack.pop();
        f.visit.exited = true;
        f.visit.exitedAt = Date.parse(e.timestamp);
        f.visit.output = parsePayload(d.output);
        f.visit.events.push(e.id);
      }
      stateOf.set(e.id, name);
      continue;
    }
    if (t.startsWith("MapIteration")) {
      const name = str(d.name);
      const f = name ? popTo((x) => x.name === name) : popTo((x) => x.type === "Map");
      if (f) {
        if (t === "MapIterationStarted" && typeof d.index === "number") iteration.set(f.name, d.index);
        const r = run(f.name);
        r.progress ??= { done: 0, failed: 0, total: null };
        if (t === "MapIterationSucceeded") r.progress.done++;
        if (t === "MapIterationFailed" || t === "MapIterationAborted") {
          r.progress.done++;
          r.progress.failed++;
        }
        f.visit.events.push(e.id);
      }
      stateOf.set(e.id, f?.name ?? null);
      continue;
    }
    if (t.startsWith("MapState") || t.startsWith("ParallelState")) {
      const kind = t.startsWith("Map") ? "Map" : "Parallel";
      const f = popTo((x) => x.type === kind);
      if (f) {
        f.visit.events.push(e.id);
        if (t === "MapStateStarted" && typeof d.length === "number") {
          const r = run(f.name);
          r.progress = { done: 0, failed: 0, total: d.length };
        }
        if (FAILURE_TYPES.test(t) || t.endsWith("Aborted")) {
          f.visit.failing = true;
          f.visit.failures.push({ eventId: e.id, type: t, error: str(d.error), cause: str(d.cause) });
        }
      }
      stateOf.set(e.id, f?.name ?? null);
      continue;
    }
    if (t.startsWith("Execution")) {
      stateOf.set(e.id, null);
      if (t === "ExecutionFailed" || t === "ExecutionTimedOut" || t === "ExecutionAborted") {
        failure = { eventId: e.id, type: t, error: str(d.error), cause: str(d.cause) };
      }
      continue;
    }
    // Task*, Activity*, LambdaFunction*, EvaluationFailed …: the innermost open state
    const top = stack[stack.length - 1] ?? null;
    stateOf.set(e.id, top?.name ?? null);
    if (!top) continue;
    top.visit.events.push(e.id);
    if (t === "TaskScheduled" || t === "ActivityScheduled" || t === "LambdaFunctionScheduled") {
      top.visit.attempts++;
      top.visit.failing = false;
    } else if (FAILURE_TYPES.test(t)) {
      top.visit.failing = true;
      top.visit.failures.push({ eventId: e.id, type: t, error: str(d.error), cause: str(d.cause) });
    } else if (t.endsWith("Succeeded")) {
      top.visit.failing = false;
    }
  }

  const ended = executionStatus !== null && executionStatus !== "RUNNING";
  const statusAborted = executionStatus === "ABORTED";
  for (const r of states.values()) {
    for (const v of r.visits) {
      if (v.exited) v.status = v.failing ? "caught" : "succeeded";
      else if (v.closed) v.status = v.failing || v.type === "Fail" ? "failed" : "aborted";
      // a failed attempt of a running execution may still be retried or caught
      else if (!ended) v.status = "running";
      else if (v.failing || (v.type === "Fail" && failure)) v.status = "failed";
      else if (statusAborted) v.status = "aborted";
      else v.status = v === lastEntered ? "failed" : "aborted";
    }
    const has = (s: RunStatus) => r.visits.some((v) => v.status === s);
    r.status = has("running") ? "running" : has("failed") ? "failed" : has("aborted") ? "aborted" : r.visits.length && r.visits[r.visits.length - 1].status === "caught" ? "caught" : has("caught") ? "caught" : "succeeded";
  }
  return { stateOf, states, startedAt, failure };
}

/** A state inside a running Map or Parallel, from where its children are now (their events join the history
 * only at fan-in): running while one is in it, whatever earlier visits say; else as the history has it.
 * Children paused before it do not make it run (it is not entered yet): the Paused badge shows them. */
export function liveStatus(base: RunStatus, here: LiveHere | undefined): RunStatus {
  return here && here.running > 0 ? "running" : base;
}

/** "3 here", "3 here · 2 paused", "2 paused here": the badge of a state children are in or paused before. */
export function hereLabel(here: LiveHere | undefined): string | null {
  if (!here || (!here.running && !here.paused)) return null;
  if (!here.running) return `${here.paused} paused here`;
  return here.paused ? `${here.running} here · ${here.paused} paused` : `${here.running} here`;
}

/** Where the live children are, per state; nothing once the execution no longer waits for them. */
export function liveHere(children: ChildrenPage | null | undefined): ReadonlyMap<string, LiveHere> {
  return new Map(children?.live ? Object.entries(children.states ?? {}) : []);
}

/** "1.2 s", "3 min 4 s": time since the execution started. */
export function elapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

/** Every Task state of a definition, nested ones included: the rows of a test case's table. */
export function taskStates(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (scope: unknown) => {
    if (!scope || typeof scope !== "object") return;
    const states = (scope as { States?: unknown }).States;
    if (!states || typeof states !== "object") return;
    for (const [name, st] of Object.entries(states as Record<string, unknown>)) {
      if (!st || typeof st !== "object") continue;
      const s = st as Record<string, unknown>;
      if (s.Type === "Task") out.push(name);
      if (Array.isArray(s.Branches)) s.Branches.forEach(walk);
      walk(s.ItemProcessor);
      walk(s.Iterator);
    }
  };
  walk(doc);
  return out;
}
