import { describe, expect, it } from "vitest";
import { addState, connect, deleteState, disconnect, insertOnEdge, renameInLayout, renameState, uniqueName, PALETTE } from "./edit";
import { aslToGraph, graphToAsl } from "./graph";
import type { JsonObject } from "./types";

const doc: JsonObject = {
  StartAt: "A",
  States: {
    A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Oops" }], Next: "Pick" },
    Pick: { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: 1, Next: "B" }], Default: "A" },
    B: {
      Type: "Parallel",
      Branches: [{ StartAt: "A1", States: { A1: { Type: "Pass", Next: "A2" }, A2: { Type: "Pass", End: true } } }],
      Next: "Done",
    },
    Done: { Type: "Succeed" },
    Oops: { Type: "Fail" },
  },
};

describe("edits", () => {
  it("never changes its input", () => {
    const before = JSON.stringify(doc);
    renameState(doc, "/States/A", "Z");
    deleteState(doc, "/States/Pick");
    addState(doc, "", "New", { Type: "Pass", End: true });
    expect(JSON.stringify(doc)).toBe(before);
  });

  it("renames a state and every reference to it, keeping its place", () => {
    const out = renameState(doc, "/States/A", "Start here");
    expect(out.StartAt).toBe("Start here");
    expect(Object.keys(out.States as JsonObject)).toEqual(["Start here", "Pick", "B", "Done", "Oops"]);
    expect((out.States as JsonObject).Pick).toMatchObject({ Default: "Start here" });
    const out2 = renameState(doc, "/States/Oops", "Failed");
    expect(((out2.States as JsonObject).A as JsonObject).Catch).toEqual([{ ErrorEquals: ["States.ALL"], Next: "Failed" }]);
    const out3 = renameState(doc, "/States/B/Branches/0/States/A2", "Last");
    expect(JSON.stringify(out3)).toContain('"A1":{"Type":"Pass","Next":"Last"}');
  });

  it("refuses a name already used anywhere", () => {
    expect(() => renameState(doc, "/States/A", "A1")).toThrow(/exists/);
  });

  it("renames in the layout", () => {
    expect(renameInLayout({ A: { x: 1, y: 2 }, B: { x: 0, y: 0 } }, "A", "Z")).toEqual({ Z: { x: 1, y: 2 }, B: { x: 0, y: 0 } });
  });

  it("deletes a state, reconnecting its predecessors to its successor", () => {
    const out = deleteState(doc, "/States/B");
    const pick = (out.States as JsonObject).Pick as JsonObject;
    expect(pick.Choices).toEqual([{ Variable: "$.x", NumericEquals: 1, Next: "Done" }]);
    const out2 = deleteState(doc, "/States/A");
    expect(out2.StartAt).toBe("Pick");
    expect((out2.States as JsonObject).Pick).toMatchObject({ Default: "Pick" });
    const out3 = deleteState(doc, "/States/Oops");
    expect((out3.States as JsonObject).A).not.toHaveProperty("Catch");
  });

  it("connects states", () => {
    let out = addState(doc, "", "P", { Type: "Pass", End: true });
    out = connect(out, "/States/P", "Done");
    expect((out.States as JsonObject).P).toEqual({ Type: "Pass", Next: "Done" });
    out = connect(out, "/States/Pick", "P", "choice");
    expect(((out.States as JsonObject).Pick as JsonObject).Choices).toHaveLength(2);
    out = connect(out, "/States/A", "P", "catch");
    expect(((out.States as JsonObject).A as JsonObject).Catch).toHaveLength(2);
    expect(() => connect(out, "/States/Done", "P")).toThrow();
  });

  it("disconnects: a plain state becomes an end state", () => {
    const out = disconnect(doc, { kind: "next", source: "/States/B", index: null });
    expect((out.States as JsonObject).B).toMatchObject({ End: true });
    expect((out.States as JsonObject).B).not.toHaveProperty("Next");
  });

  it("inserts on an edge", () => {
    const out = insertOnEdge(doc, { kind: "next", source: "/States/B", index: null, scope: "", targetName: "Done" }, "Mid", { Type: "Pass", End: true });
    expect((out.States as JsonObject).B).toMatchObject({ Next: "Mid" });
    expect((out.States as JsonObject).Mid).toEqual({ Type: "Pass", Next: "Done" });
  });

  it("adds into a branch", () => {
    const name = uniqueName(doc, "A1");
    expect(name).toBe("A1 2");
    const out = addState(doc, "/States/B/Branches/0", name, { Type: "Pass", End: true });
    const g = aslToGraph(out);
    expect(g.nodes.find((n) => n.name === "A1 2")?.parent).toBe("/States/B/Branches/0");
    expect(graphToAsl(g)).toEqual(out);
  });

  it("palette items make states that round-trip", () => {
    for (const item of PALETTE) {
      for (const jsonata of [false, true]) {
        const out = addState({ StartAt: "X", States: {} }, "", "X", item.make(jsonata));
        expect(graphToAsl(aslToGraph(out))).toEqual(out);
      }
    }
  });
});

describe("fragments", () => {
  it("adds a pattern with fresh names, keeping its transitions", async () => {
    const { addFragment } = await import("./edit");
    const fragment: JsonObject = {
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Parallel", Branches: [{ StartAt: "Done", States: { Done: { Type: "Succeed" } } }], End: true } },
    };
    const { doc: out, start, renames } = addFragment(doc, "", fragment);
    expect(start).toBe("A 2");
    expect(renames).toMatchObject({ A: "A 2", B: "B 2", Done: "Done 2" });
    const states = out.States as JsonObject;
    expect(states["A 2"]).toEqual({ Type: "Pass", Next: "B 2" });
    expect(JSON.stringify(states["B 2"])).toContain('"StartAt":"Done 2"');
    expect(out.StartAt).toBe("A");
  });
});

describe("branches", () => {
  it("adds and removes Parallel branches", async () => {
    const { addBranch, removeBranch } = await import("./edit");
    const out = addBranch(doc, "/States/B");
    const branches = ((out.States as JsonObject).B as JsonObject).Branches as JsonObject[];
    expect(branches).toHaveLength(2);
    expect(branches[1]).toEqual({ StartAt: "Branch 2", States: { "Branch 2": { Type: "Pass", End: true } } });
    expect((((removeBranch(out, "/States/B", 0).States as JsonObject).B as JsonObject).Branches as JsonObject[])[0].StartAt).toBe("Branch 2");
  });
});
