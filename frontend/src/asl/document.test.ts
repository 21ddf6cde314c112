import { describe, expect, it } from "vitest";
import { convert, detectFormat, parseText, serialize } from "./document";
import { renameState } from "./edit";
import type { JsonObject } from "./types";

const yamlText = `# The order workflow
Comment: Orders
StartAt: Fetch
States:
  # fetch the order
  Fetch:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke # the function
    Next: Done
  Done:
    Type: Succeed
`;

describe("document text", () => {
  it("detects the format", () => {
    expect(detectFormat('  {"a": 1}')).toBe("json");
    expect(detectFormat("StartAt: A")).toBe("yaml");
  });

  it("reports where JSON is broken", () => {
    const r = parseText('{\n  "StartAt": "A",\n  "States": {\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.line).not.toBeNull();
  });

  it("reports where YAML is broken", () => {
    const r = parseText("StartAt: A\nStates:\n  A: [\n");
    expect(r.ok).toBe(false);
  });

  it("keeps YAML comments through an edit", () => {
    const r = parseText(yamlText);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const edited = renameState(r.value as JsonObject, "/States/Done", "Finished");
    const text = serialize(edited, "yaml", yamlText);
    expect(text).toContain("# The order workflow");
    expect(text).toContain("# fetch the order");
    expect(text).toContain("# the function");
    expect(text).toContain("Next: Finished");
    expect(text).toContain("Finished:");
    const back = parseText(text);
    expect(back.ok && back.value).toEqual(edited);
  });

  it("serializes JSON with two spaces", () => {
    expect(serialize({ a: [1] }, "json")).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });

  it("converts between formats", () => {
    const json = convert(yamlText, "json")!;
    expect(JSON.parse(json).States.Fetch.Next).toBe("Done");
    const yaml = convert(json, "yaml")!;
    expect(parseText(yaml).ok).toBe(true);
  });

  it("changes a scalar's type cleanly", () => {
    const text = serialize({ A: 5 }, "yaml", 'A: "x"\n');
    expect(text.trim()).toBe("A: 5");
  });
});

describe("renaming in YAML", () => {
  it("keeps the renamed state's own formatting and comments", () => {
    const text = "StartAt: Greet\nStates:\n  # the only state\n  Greet: # says hello\n    Type: Pass\n    Result: {hello: world} # flow style\n    End: true\n";
    const r = parseText(text);
    if (!r.ok) throw new Error("parse");
    const out = serialize(renameState(r.value as JsonObject, "/States/Greet", "Say hello"), "yaml", text);
    expect(out).toContain("StartAt: Say hello\nStates:\n  # the only state\n  Say hello:");
    expect(out).toContain("# says hello");
    expect(out).toContain("    Result: { hello: world } # flow style\n    End: true\n");
  });
});

describe("YAML 1.1, as the server reads it", () => {
  it("quotes strings that YAML 1.1 would take for booleans", () => {
    const text = serialize({ StringEquals: "yes", B: "on", C: "no", D: true }, "yaml");
    expect(text).toBe('StringEquals: "yes"\nB: "on"\nC: "no"\nD: true\n');
    const edited = serialize({ A: "yes" }, "yaml", "A: x # keep\n");
    expect(parseText(edited)).toMatchObject({ ok: true, value: { A: "yes" } });
  });

  it("reads yes as true and keeps unquoted timestamps as strings", () => {
    expect(parseText("A: yes\nT: 2026-01-01T00:00:00Z\n")).toMatchObject({ ok: true, value: { A: true, T: "2026-01-01T00:00:00Z" } });
  });
});
