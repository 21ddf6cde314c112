import { describe, expect, it } from "vitest";
import { allStateNames, pausedTitle, toggled } from "./breakpoints";

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
