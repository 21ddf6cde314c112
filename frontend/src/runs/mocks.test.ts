import { describe, expect, it } from "vitest";
import { fromTable, toTable } from "./mocks";
import type { TestCase } from "../api/runs";

describe("the test case table", () => {
  it("turns mocked responses into rows per attempt and back", () => {
    const responses: TestCase["responses"] = {
      InvokeLambda: { "1": { Return: { ok: true } }, "0": { Throw: { Error: "Lambda.ServiceException", Cause: "throttled" } } },
    };
    const table = toTable({ id: 1, name: "t", responses, created_at: "", updated_at: "" });
    expect(table.InvokeLambda.map((r) => r.kind)).toEqual(["Throw", "Return"]);
    expect(table.InvokeLambda[1].value).toBe('{"ok":true}');
    expect(fromTable(table)).toEqual({
      InvokeLambda: { "0": { Throw: { Error: "Lambda.ServiceException", Cause: "throttled" } }, "1": { Return: { ok: true } } },
    });
  });

  it("leaves out states without rows", () => {
    expect(fromTable({ A: [], B: [{ kind: "Return", value: "", error: "", cause: "" }] })).toEqual({ B: { "0": { Return: null } } });
  });
});
