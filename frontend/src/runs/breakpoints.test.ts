import { describe, expect, it } from "vitest";
import type { ChildrenPage } from "../api/runs";
import { allPausedTitle, allStateNames, childrenKey, pausedStates, pausedTitle, toggled } from "./breakpoints";

const definition = {
  StartAt: "Fan",
  States: {
    Fan: {
      Type: "Parallel",
      Branches: [
        { StartAt: "L", States: { L: { Type: "Pass", End: true } } },
        { StartAt: "R", States: { R: { Type: "Pass", End: true } } },
      ],
      Next: "Each",
    },
    Each: { Type: "Map", ItemProcessor: { StartAt: "Inner", States: { Inner: { Type: "Pass", End: true } } }, Next: "Old" },
    Old: { Type: "Map", Iterator: { StartAt: "Legacy", States: { Legacy: { Type: "Succeed" } } }, End: true },
  },
};

describe("breakpoints", () => {
  it("lists every state, inside branches and Map processors too", () => {
    expect(allStateNames(definition)).toEqual(["Fan", "L", "R", "Each", "Inner", "Old", "Legacy"]);
    expect(allStateNames(null)).toEqual([]);
    expect(allStateNames({ States: [] })).toEqual([]);
  });

  it("toggles a name in and out, sorted", () => {
    expect(toggled(["B"], "A")).toEqual(["A", "B"]);
    expect(toggled(["A", "B"], "A")).toEqual(["B"]);
  });

  it("names the iteration or branch that is paused", () => {
    const base = { execution: 1, state: "Inner", input: 1 };
    expect(pausedTitle({ ...base, name: "run" }, "run")).toBe("Paused before Inner");
    expect(pausedTitle({ ...base, name: "run/3" }, "run")).toBe("Paused before Inner (iteration 3)");
    expect(pausedTitle({ ...base, name: "run/b1" }, "run")).toBe("Paused before Inner (branch 1)");
  });
});

const live = (states: ChildrenPage["states"], over: Partial<ChildrenPage> = {}): ChildrenPage => ({
  live: true, state: "Each", total: 5, done: 1, failed: 0, running: 4, states, children: [], next_after: 4, ...over,
});

describe("paused iterations", () => {
  const paused = (state: string, execution: number) => ({ execution, name: `run/${execution}`, state, input: null });

  it("knows the paused states from the detail and, sooner, from the live children", () => {
    expect([...pausedStates([paused("Inner", 2)], null)]).toEqual(["Inner"]);
    const children = live({ Inner: { running: 1, paused: 0 }, After: { running: 0, paused: 2 } });
    expect([...pausedStates([], children)]).toEqual(["After"]);
    // children the execution no longer waits for say nothing
    expect([...pausedStates([], { ...children, live: false })]).toEqual([]);
  });

  it("titles the Continue all panel by state", () => {
    expect(allPausedTitle([paused("Inner", 2), paused("Inner", 3)])).toBe("2 paused before Inner");
    expect(allPausedTitle([paused("Inner", 2), paused("After", 3), paused("Inner", 4)])).toBe("3 paused: 2 before Inner, 1 before After");
  });

  it("changes its key (the detail is read again) when an iteration pauses or goes on, not when one only moves", () => {
    const a = live({ Inner: { running: 4, paused: 0 } });
    expect(childrenKey(a)).toBe(childrenKey(live({ After: { running: 4, paused: 0 } })));
    expect(childrenKey(a)).toBe(childrenKey({ ...a, done: 2, running: 3 }));
    expect(childrenKey(a)).not.toBe(childrenKey(live({ Inner: { running: 3, paused: 1 } })));
    expect(childrenKey(live({ Inner: { running: 0, paused: 4 } }))).not.toBe(childrenKey(live({ After: { running: 0, paused: 4 } })));
    expect(childrenKey(null)).toBe("");
  });
});
