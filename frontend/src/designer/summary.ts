import type { GNode } from "../asl/graph";

/** One line under a state's name: what it does. */
export function stateSummary(g: GNode): string {
  const b = g.body;
  switch (g.type) {
    case "Task": {
      const r = typeof b.Resource === "string" ? b.Resource : "";
      const m = /^arn:aws:states:::(.+)$/.exec(r);
      if (m) return m[1].replace(/^aws-sdk:/, "sdk:");
      const fn = /:function:([^:]+)/.exec(r);
      if (fn) return `lambda ${fn[1]}`;
      return r ? r.split(":").slice(-2).join(":") : "Task";
    }
    case "Wait":
      if (b.Seconds !== undefined) return `wait ${String(b.Seconds)}s`;
      if (b.SecondsPath) return `wait ${String(b.SecondsPath)}`;
      if (b.Timestamp) return `until ${String(b.Timestamp)}`;
      return "Wait";
    case "Fail":
      return typeof b.Error === "string" ? `fail ${b.Error}` : "Fail";
    case "Choice":
      return `${Array.isArray(b.Choices) ? b.Choices.length : 0} rules`;
    default:
      return g.type ?? "not a state";
  }
}
