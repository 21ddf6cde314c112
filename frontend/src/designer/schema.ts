/**
 * Completions from the project's ASL JSON Schema (bundled at build time; see vite.config.ts),
 * plus the fields every ASL state may have.
 */
import schema from "asl-schema";

export interface KeyCompletion {
  label: string;
  detail: string;
}

const BUILTIN: Record<string, string> = {
  Comment: "text", StartAt: "first state", States: "the states", Type: "state type", Next: "next state", End: "end here",
  Resource: "Task ARN", Parameters: "JSONPath input", Arguments: "JSONata input", InputPath: "JSONPath", OutputPath: "JSONPath",
  ResultPath: "JSONPath", ResultSelector: "JSONPath", Output: "JSONata", Assign: "variables", QueryLanguage: "JSONPath | JSONata",
  Retry: "retriers", Catch: "catchers", ErrorEquals: "error names", IntervalSeconds: "retry", MaxAttempts: "retry", BackoffRate: "retry",
  MaxDelaySeconds: "retry", JitterStrategy: "FULL | NONE", TimeoutSeconds: "seconds", HeartbeatSeconds: "seconds", Choices: "rules",
  Default: "default state", Variable: "JSONPath", Condition: "JSONata", And: "rules", Or: "rules", Not: "rule", Seconds: "wait",
  Timestamp: "wait", SecondsPath: "wait", TimestampPath: "wait", Branches: "parallel", ItemProcessor: "map", ItemsPath: "map",
  Items: "map", ItemSelector: "map", MaxConcurrency: "map", ProcessorConfig: "map", Mode: "INLINE | DISTRIBUTED", Error: "fail",
  Cause: "fail", Result: "pass", Credentials: "task", ToleratedFailurePercentage: "map", Label: "map",
};

let cached: KeyCompletion[] | null = null;

function collect(node: unknown, out: Map<string, string>, depth = 0): void {
  if (depth > 12 || typeof node !== "object" || node === null) return;
  const o = node as Record<string, unknown>;
  if (o.properties && typeof o.properties === "object") {
    for (const [k, v] of Object.entries(o.properties as Record<string, unknown>)) {
      if (!out.has(k)) out.set(k, typeof (v as { description?: unknown })?.description === "string" ? String((v as { description: string }).description).slice(0, 40) : "schema");
    }
  }
  for (const v of Object.values(o)) if (typeof v === "object") collect(v, out, depth + 1);
}

export function keyCompletions(): KeyCompletion[] {
  if (cached) return cached;
  const keys = new Map<string, string>(Object.entries(BUILTIN));
  collect(schema, keys);
  cached = [...keys.entries()].map(([label, detail]) => ({ label, detail }));
  return cached;
}
