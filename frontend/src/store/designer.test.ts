import { beforeEach, describe, expect, it } from "vitest";
import { addState, connect, renameState } from "../asl/edit";
import type { Workflow } from "../api/client";
import { designer } from "./designer";

const wf = (definition: string): Workflow => ({
  id: 1, team: 1, name: "w", description: "", tags: [], created_by: null, created_at: "", updated_at: "",
  draft: { definition, layout: { A: { x: 0, y: 0 } }, revision: 3, updated_at: "" }, latest_version: null, validation_status: "unknown",
});

const yamlText = "# top\nStartAt: A\nStates:\n  A: # first\n    Type: Pass\n    End: true\n";

describe("designer store", () => {
  beforeEach(() => designer.getState().load(wf(yamlText), false));

  it("edits from the canvas keep the YAML comments and can be undone and redone", () => {
    const s = designer.getState();
    s.applyEdit((d) => connect(addState(d, "", "B", { Type: "Succeed" }), "/States/A", "B"));
    expect(designer.getState().text).toContain("# first");
    expect(designer.getState().text).toContain("Next: B");
    expect(designer.getState().graph.nodes.some((n) => n.name === "B")).toBe(true);
    designer.getState().undo();
    expect(designer.getState().text).toBe(yamlText);
    designer.getState().redo();
    expect(designer.getState().text).toContain("Next: B");
    expect(designer.getState().saveStatus).toBe("dirty");
  });

  it("broken text keeps the last graph and says where the error is", () => {
    designer.getState().setText("StartAt: A\nStates:\n  A: [\n", "editor");
    const s = designer.getState();
    expect(s.parseError).not.toBeNull();
    expect(s.graph.nodes.some((n) => n.name === "A")).toBe(true);
    // an edit on the canvas applies to the last good document
    s.applyEdit((d) => renameState(d, "/States/A", "Z"));
    expect(designer.getState().parseError).toBeNull();
    expect(designer.getState().text).toContain("StartAt: Z");
  });

  it("coalesces typing in one field into one undo step", () => {
    const s = designer.getState();
    for (const c of ["x", "xy", "xyz"]) {
      s.applyEdit((d) => ({ ...d, Comment: c }), undefined, { coalesce: "comment" });
    }
    expect(designer.getState().past).toHaveLength(1);
    designer.getState().undo();
    expect(designer.getState().text).toBe(yamlText);
  });

  it("is read-only for viewers", () => {
    designer.getState().load(wf(yamlText), true);
    expect(designer.getState().applyEdit((d) => ({ ...d, Comment: "no" }))).toBe(false);
    expect(designer.getState().saveStatus).toBe("readonly");
  });

  it("keeps the revision the server gave and shows a conflict", () => {
    const s = designer.getState();
    s.applyEdit((d) => ({ ...d, Comment: "mine" }));
    const sent = designer.getState().changes;
    designer.getState().markSaved({ definition: "", layout: {}, revision: 4, updated_at: "" }, sent);
    expect(designer.getState()).toMatchObject({ revision: 4, saveStatus: "saved" });
    designer.getState().markConflict({ definition: '{"StartAt":"T","States":{"T":{"Type":"Succeed"}}}', layout: {}, revision: 9, updated_at: "" });
    expect(designer.getState().saveStatus).toBe("conflict");
    designer.getState().resolveConflict("theirs");
    expect(designer.getState()).toMatchObject({ revision: 9, saveStatus: "saved" });
    expect(designer.getState().graph.nodes.some((n) => n.name === "T")).toBe(true);
  });
});
