/** A test case's mocked responses as the run dialog's table edits them: rows of attempts per Task state. */
import type { MockResponse, TestCase } from "../api/runs";

/** One mocked attempt as the table edits it. */
export interface MockRow {
  kind: "Return" | "Throw";
  value: string;
  error: string;
  cause: string;
}
export type MockTable = Record<string, MockRow[]>;

export function toTable(tc: TestCase | undefined): MockTable {
  const out: MockTable = {};
  for (const [state, attempts] of Object.entries(tc?.responses ?? {})) {
    out[state] = Object.keys(attempts)
      .sort((a, b) => Number(a.split("-")[0]) - Number(b.split("-")[0]))
      .map((k) => {
        const r = attempts[k] as MockResponse;
        return "Throw" in r
          ? { kind: "Throw", value: "", error: r.Throw.Error ?? "", cause: r.Throw.Cause ?? "" }
          : { kind: "Return", value: JSON.stringify(r.Return), error: "", cause: "" };
      });
  }
  return out;
}

export function fromTable(t: MockTable): TestCase["responses"] {
  const out: TestCase["responses"] = {};
  for (const [state, rows] of Object.entries(t)) {
    if (!rows.length) continue;
    out[state] = {};
    rows.forEach((r, i) => {
      out[state][String(i)] = r.kind === "Throw" ? { Throw: { Error: r.error || "Error", Cause: r.cause } } : { Return: JSON.parse(r.value || "null") };
    });
  }
  return out;
}

