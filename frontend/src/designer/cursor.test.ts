import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { ensureSyntaxTree } from "@codemirror/language";
import { stateAt } from "./cursor";

const ids = new Set(["/States/A x", "/States/A x/Branches/1/States/B", "/States/C"]);

function at(doc: string, lang: "json" | "yaml", needle: string) {
  const st = EditorState.create({ doc, extensions: [lang === "json" ? json() : yaml()] });
  ensureSyntaxTree(st, st.doc.length, 5000);
  return stateAt(st, doc.indexOf(needle) + 1, ids);
}

describe("the state under the cursor", () => {
  const j = JSON.stringify({ StartAt: "A x", States: { "A x": { Type: "Parallel", Branches: [{ x: 1 }, { States: { B: { Type: "Pass" } } }], Next: "C" }, C: { Type: "Succeed" } } }, null, 2);
  const y = 'StartAt: A x\nStates:\n  "A x":\n    Type: Parallel\n    Branches:\n      - x: 1\n      - States:\n          B:\n            Type: Pass\n    Next: C\n  C:\n    Type: Succeed\n';

  it("in JSON", () => {
    expect(at(j, "json", '"Pass"')).toBe("/States/A x/Branches/1/States/B");
    expect(at(j, "json", '"Next"')).toBe("/States/A x");
    expect(at(j, "json", '"Succeed"')).toBe("/States/C");
    expect(at(j, "json", '"StartAt"')).toBeNull();
  });

  it("in YAML", () => {
    expect(at(y, "yaml", "Pass")).toBe("/States/A x/Branches/1/States/B");
    expect(at(y, "yaml", "Next: C")).toBe("/States/A x");
    expect(at(y, "yaml", "Succeed")).toBe("/States/C");
  });
});
