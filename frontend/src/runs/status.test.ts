import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../api/runs";
import type { ChildrenPage } from "../api/runs";
import { deriveRun, elapsed, hereLabel, liveHere, liveStatus, taskStates } from "./status";
import fixture from "./history.fixture.json";

// recorded with asl.execute: a Parallel (Pass A | Map M over Task T) caught into H, then Fail F
const failed = fixture.caught_then_failed as unknown as HistoryEvent[];
const succeeded = fixture.succeeded as unknown as HistoryEvent[];

describe("deriveRun", () => {
  it("colours a caught Parallel, a failed Map iteration, a retried task and the Fail state", () => {
    const run = deriveRun(failed, "FAILED");
    const status = Object.fromEntries([...run.states].map(([k, v]) => [k, v.status]));
    expect(status).toEqual({ P: "caught", A: "succeeded", M: "failed", T: "failed", H: "succeeded", F: "failed" });
    const t = run.states.get("T")!;
    expect(t.visits.map((v) => [v.iteration, v.attempts, v.status])).toEqual([[0, 2, "succeeded"], [1, 1, "failed"]]);
    expect(t.visits[1].failures[0]).toMatchObject({ error: "Y", cause: "bad" });
    expect(run.states.get("M")!.progress).toEqual({ done: 2, failed: 1, total: 2 });
    expect(run.stateOf.get(12)).toBe("T");
    expect(run.stateOf.get(25)).toBe("P");
    expect(run.stateOf.get(30)).toBeNull();
    expect(run.failure).toMatchObject({ error: "E", cause: "c" });
    expect(run.states.get("H")!.visits[0].input).toEqual({ Error: "Y", Cause: "bad" });
  });

  it("marks every state of a successful run succeeded", () => {
    const run = deriveRun(succeeded, "SUCCEEDED");
    for (const r of run.states.values()) expect(r.status).toBe("succeeded");
    expect(run.states.has("Done")).toBe(true);
    expect(run.states.has("H")).toBe(false);
  });

  it("shows the open states of a running execution as running, and as aborted once it is stopped", () => {
    const partial = failed.slice(0, 11);
    expect(deriveRun(partial, "RUNNING").states.get("T")!.status).toBe("running");
    expect(deriveRun(partial, "RUNNING").states.get("P")!.status).toBe("running");
    expect(deriveRun(partial, "ABORTED").states.get("T")!.status).toBe("aborted");
    // a failed attempt waiting for its retry is still running; a failed iteration of a running Map is not
    expect(deriveRun(failed.slice(0, 12), "RUNNING").states.get("T")!.status).toBe("running");
    const later = deriveRun(failed.slice(0, 28), "RUNNING");
    expect(later.states.get("T")!.visits.map((v) => v.status)).toEqual(["succeeded", "failed"]);
    expect([later.states.get("M")!.status, later.states.get("P")!.status, later.states.get("H")!.status]).toEqual(["failed", "caught", "succeeded"]);
  });
});

describe("states inside a running Map, from its live children", () => {
  const page = (states: ChildrenPage["states"], live = true): ChildrenPage => ({
    live, state: "M", total: 4, done: 0, failed: 0, running: 4, states, children: [], next_after: 3,
  });

  it("colours a state running while iterations are in it, and leaves the others as the history has them", () => {
    // the Map has started; its iterations' events join the history only at fan-in
    const run = deriveRun(failed.slice(0, 5), "RUNNING");
    const here = liveHere(page({ T: { running: 3, paused: 0 } }));
    expect(run.states.get("T")).toBeUndefined();
    expect(liveStatus(run.states.get("T")?.status ?? "not-run", here.get("T"))).toBe("running");
    expect(liveStatus("not-run", here.get("Other"))).toBe("not-run");
    // a later Map visit: an earlier visit failed here, an iteration is in it again now
    expect(liveStatus("failed", { running: 1, paused: 0 })).toBe("running");
    expect(liveStatus("succeeded", { running: 0, paused: 2 })).toBe("succeeded");
  });

  it("counts them on a badge, paused ones too", () => {
    expect(hereLabel({ running: 3, paused: 0 })).toBe("3 here");
    expect(hereLabel({ running: 3, paused: 2 })).toBe("3 here · 2 paused");
    expect(hereLabel({ running: 0, paused: 2 })).toBe("2 paused here");
    expect(hereLabel({ running: 0, paused: 0 })).toBeNull();
    expect(hereLabel(undefined)).toBeNull();
  });

  it("forgets them once the execution no longer waits for them (their events are in the history then)", () => {
    expect([...liveHere(page({ T: { running: 1, paused: 0 } }, false))]).toEqual([]);
    expect([...liveHere(null)]).toEqual([]);
    // an older server without per-state counts
    expect([...liveHere({ ...page({}), states: undefined })]).toEqual([]);
  });
});

describe("helpers", () => {
  it("lists Task states, nested ones included", () => {
    expect(taskStates(fixture.definition)).toEqual(["T"]);
  });
  it("formats elapsed time", () => {
    expect(elapsed(12)).toBe("12 ms");
    expect(elapsed(1500)).toBe("1.50 s");
    expect(elapsed(125_000)).toBe("2 min 5 s");
  });
});

describe("a long history", () => {
  it("derives 5,000 events in well under the 1 s bar", () => {
    const events: HistoryEvent[] = [{ id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: "2026-01-01T00:00:00.000Z", executionStartedEventDetails: { input: "{}" } }];
    const add = (type: string, details: Record<string, unknown>) =>
      events.push({ id: events.length + 1, previousEventId: events.length, type, timestamp: new Date(Date.UTC(2026, 0, 1) + events.length).toISOString(), ...details });
    for (let i = 0; i < 1250; i++) {
      add("PassStateEntered", { stateEnteredEventDetails: { name: "Inc", input: `{"i":${i}}` } });
      add("PassStateExited", { stateExitedEventDetails: { name: "Inc", output: `{"i":${i + 1}}` } });
      add("ChoiceStateEntered", { stateEnteredEventDetails: { name: "Loop", input: `{"i":${i + 1}}` } });
      add("ChoiceStateExited", { stateExitedEventDetails: { name: "Loop", output: `{"i":${i + 1}}` } });
    }
    const t = performance.now();
    const run = deriveRun(events, "RUNNING");
    const ms = performance.now() - t;
    expect(run.states.get("Inc")!.visits).toHaveLength(1250);
    expect(run.stateOf.size).toBe(5001);
    expect(ms).toBeLessThan(250);
  });
});
