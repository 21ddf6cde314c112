/** The Choice rule builder: every comparison operator, And / Or / Not, or a JSONata Condition. */
import type { Json, JsonObject } from "../asl/types";
import { isObject } from "../asl/types";

const KINDS = ["String", "Numeric", "Boolean", "Timestamp"] as const;
const COMPARES = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"] as const;
export const OPERATORS: string[] = [
  ...KINDS.flatMap((k) => (k === "Boolean" ? ["BooleanEquals", "BooleanEqualsPath"] : COMPARES.flatMap((c) => [`${k}${c}`, `${k}${c}Path`]))),
  "StringMatches",
  "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
];
const META = new Set(["Variable", "Next", "Comment", "Assign", "Output", "And", "Or", "Not", "Condition"]);

export function operatorOf(rule: JsonObject): string | null {
  return Object.keys(rule).find((k) => !META.has(k) && OPERATORS.includes(k)) ?? null;
}

function defaultValue(op: string): Json {
  if (op.endsWith("Path")) return "$.other";
  if (op.startsWith("Numeric")) return 0;
  if (op.startsWith("Boolean") || op.startsWith("Is")) return true;
  if (op.startsWith("Timestamp")) return "2026-01-01T00:00:00Z";
  return "";
}

function withOperator(rule: JsonObject, op: string): JsonObject {
  const old = operatorOf(rule);
  // keep the value when the kind of value stays the same, and the operator where it was
  const keep = old && old.endsWith("Path") === op.endsWith("Path") && typeof rule[old] === typeof defaultValue(op);
  const value = keep && old ? rule[old] : defaultValue(op);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rule)) {
    if (k === old) out[op] = value;
    else out[k] = v;
  }
  if (!(op in out)) out[op] = value;
  return out;
}

function Expression({ rule, onChange, depth, readOnly }: { rule: JsonObject; onChange: (r: JsonObject) => void; depth: number; readOnly: boolean }) {
  const kind = Array.isArray(rule.And) ? "And" : Array.isArray(rule.Or) ? "Or" : rule.Not !== undefined ? "Not" : "compare";
  const setKind = (k: string) => {
    const keepMeta = Object.fromEntries(Object.entries(rule).filter(([key]) => key === "Next" || key === "Comment" || key === "Assign" || key === "Output"));
    const plain: JsonObject = { Variable: "$.value", StringEquals: "" };
    const current: JsonObject = Object.fromEntries(Object.entries(rule).filter(([key]) => !(key in keepMeta)));
    if (k === "compare") onChange({ ...plain, ...keepMeta });
    else if (k === "Not") onChange({ Not: kind === "compare" ? current : plain, ...keepMeta });
    else onChange({ [k]: kind === "compare" ? [current, plain] : [plain, plain], ...keepMeta });
  };
  return (
    <div className={`expr depth-${depth}`}>
      <select value={kind} onChange={(e) => setKind(e.target.value)} disabled={readOnly} aria-label="Kind of condition" className="expr-kind">
        <option value="compare">compare</option>
        <option value="And">all of (And)</option>
        <option value="Or">any of (Or)</option>
        <option value="Not">not</option>
      </select>
      {kind === "compare" && <Comparison rule={rule} onChange={onChange} readOnly={readOnly} />}
      {(kind === "And" || kind === "Or") && (
        <div className="expr-list">
          {(rule[kind] as Json[]).map((sub, i) => (
            <div key={i} className="expr-item">
              <Expression
                rule={isObject(sub) ? sub : {}}
                depth={depth + 1}
                readOnly={readOnly}
                onChange={(r) => onChange({ ...rule, [kind]: (rule[kind] as Json[]).map((x, j) => (j === i ? r : x)) })}
              />
              {!readOnly && (
                <button type="button" className="link" aria-label="Remove condition" onClick={() => onChange({ ...rule, [kind]: (rule[kind] as Json[]).filter((_x, j) => j !== i) })}>✕</button>
              )}
            </div>
          ))}
          {!readOnly && (
            <button type="button" className="link" onClick={() => onChange({ ...rule, [kind]: [...(rule[kind] as Json[]), { Variable: "$.value", StringEquals: "" }] })}>
              + condition
            </button>
          )}
        </div>
      )}
      {kind === "Not" && (
        <div className="expr-list">
          <Expression rule={isObject(rule.Not) ? rule.Not : {}} depth={depth + 1} readOnly={readOnly} onChange={(r) => onChange({ ...rule, Not: r })} />
        </div>
      )}
    </div>
  );
}

function Comparison({ rule, onChange, readOnly }: { rule: JsonObject; onChange: (r: JsonObject) => void; readOnly: boolean }) {
  const op = operatorOf(rule) ?? "StringEquals";
  const value = rule[op];
  const isBool = op === "BooleanEquals" || op.startsWith("Is");
  const isNum = op.startsWith("Numeric") && !op.endsWith("Path");
  return (
    <div className="comparison">
      <input
        aria-label="Variable"
        value={typeof rule.Variable === "string" ? rule.Variable : ""}
        readOnly={readOnly}
        onChange={(e) => onChange({ ...rule, Variable: e.target.value })}
        placeholder="$.path"
      />
      <select aria-label="Operator" value={op} disabled={readOnly} onChange={(e) => onChange(withOperator(rule, e.target.value))}>
        {OPERATORS.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
      {isBool ? (
        <select aria-label="Value" value={String(value)} disabled={readOnly} onChange={(e) => onChange({ ...rule, [op]: e.target.value === "true" })}>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          aria-label="Value"
          value={value === undefined ? "" : String(value)}
          readOnly={readOnly}
          inputMode={isNum ? "decimal" : undefined}
          onChange={(e) => {
            const v = e.target.value;
            onChange({ ...rule, [op]: isNum && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v });
          }}
        />
      )}
    </div>
  );
}

export function ChoiceRules({
  rules, targets, jsonata, readOnly, onChange,
}: { rules: Json[]; targets: string[]; jsonata: boolean; readOnly: boolean; onChange: (rules: Json[]) => void }) {
  const set = (i: number, r: Json) => onChange(rules.map((x, j) => (j === i ? r : x)));
  const move = (i: number, d: number) => {
    const out = [...rules];
    const [r] = out.splice(i, 1);
    out.splice(i + d, 0, r);
    onChange(out);
  };
  return (
    <div className="field choice-rules" data-testid="choice-rules">
      <label>Rules<span className="help">In order; the first rule that matches wins, else the Default.</span></label>
      {rules.map((raw, i) => {
        const rule = isObject(raw) ? raw : {};
        return (
          <div key={i} className="rule">
            <div className="rule-head">
              <strong>Rule {i + 1}</strong>
              <span className="spacer" />
              {!readOnly && (
                <>
                  <button type="button" className="link" disabled={i === 0} onClick={() => move(i, -1)} aria-label="Move up">↑</button>
                  <button type="button" className="link" disabled={i === rules.length - 1} onClick={() => move(i, 1)} aria-label="Move down">↓</button>
                  <button type="button" className="link" onClick={() => onChange(rules.filter((_x, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>✕</button>
                </>
              )}
            </div>
            {jsonata ? (
              <input
                aria-label="Condition"
                value={typeof rule.Condition === "string" ? rule.Condition : ""}
                readOnly={readOnly}
                placeholder="{% $states.input.ok %}"
                onChange={(e) => set(i, { ...rule, Condition: e.target.value })}
              />
            ) : (
              <Expression rule={rule} depth={0} readOnly={readOnly} onChange={(r) => set(i, r)} />
            )}
            <label className="rule-next">
              then go to
              <select value={typeof rule.Next === "string" ? rule.Next : ""} disabled={readOnly} onChange={(e) => set(i, { ...rule, Next: e.target.value })} aria-label={`Next state of rule ${i + 1}`}>
                <option value="" disabled>choose a state</option>
                {targets.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </label>
          </div>
        );
      })}
      {!readOnly && (
        <button
          type="button"
          onClick={() => onChange([...rules, jsonata ? { Condition: "{% true %}", Next: targets[0] ?? "" } : { Variable: "$.value", StringEquals: "", Next: targets[0] ?? "" }])}
        >
          + Add rule
        </button>
      )}
    </div>
  );
}
