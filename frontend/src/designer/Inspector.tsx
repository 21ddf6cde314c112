/** The selected state's fields. Every edit goes through the pure edits on the document. */
import { useEffect, useState } from "react";
import { addBranch, removeBranch, renameInLayout, renameState, setStartAt, updateState } from "../asl/edit";
import { getAt, isObject, type Json, type JsonObject } from "../asl/types";
import { designer, useDesigner } from "../store/designer";
import { ChoiceRules } from "./ChoiceRules";
import { DataFlowPreview } from "./DataFlowPreview";
import { CatchForm, RetryForm } from "./ErrorHandlers";

type Kind = "string" | "number" | "json" | "bool" | "select";
interface FieldSpec {
  key: string;
  kind: Kind;
  help: string;
  options?: string[];
}

const DATA_FLOW_JSONPATH: FieldSpec[] = [
  { key: "InputPath", kind: "string", help: "Select part of the input, e.g. $.order" },
  { key: "Parameters", kind: "json", help: "Build the task's input; keys ending in .$ take a path" },
  { key: "ResultSelector", kind: "json", help: "Shape the raw result before ResultPath" },
  { key: "ResultPath", kind: "string", help: "Where the result goes in the input, e.g. $.result (null drops it)" },
  { key: "OutputPath", kind: "string", help: "Select part of the state output" },
];
const DATA_FLOW_JSONATA: FieldSpec[] = [
  { key: "Arguments", kind: "json", help: "The task's input; {% … %} strings are JSONata" },
  { key: "Output", kind: "json", help: "The state's output; {% … %} strings are JSONata" },
];
const COMMON_TAIL: FieldSpec[] = [
  { key: "Assign", kind: "json", help: "Variables to set" },
  { key: "QueryLanguage", kind: "select", help: "Per-state query language", options: ["", "JSONPath", "JSONata"] },
];
const ERRORS: FieldSpec[] = [
  { key: "Retry", kind: "json", help: "Retriers: ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate" },
  { key: "Catch", kind: "json", help: "Catchers: ErrorEquals, Next, ResultPath; drag the right handle to add one" },
];

function fieldsFor(type: string | null, jsonata: boolean): FieldSpec[] {
  const flow = jsonata ? DATA_FLOW_JSONATA : DATA_FLOW_JSONPATH;
  const base: FieldSpec[] = [{ key: "Comment", kind: "string", help: "A note for people" }];
  switch (type) {
    case "Task":
      return [
        ...base,
        { key: "Resource", kind: "string", help: "The ARN of the service integration or Lambda function" },
        ...flow,
        { key: "TimeoutSeconds", kind: "number", help: "Fail with States.Timeout after this many seconds" },
        { key: "HeartbeatSeconds", kind: "number", help: "Fail if no heartbeat arrives in this many seconds" },
        ...ERRORS,
        ...COMMON_TAIL,
      ];
    case "Pass":
      return [...base, { key: "Result", kind: "json", help: "A fixed result" }, ...flow, ...COMMON_TAIL];
    case "Wait":
      return [
        ...base,
        { key: "Seconds", kind: "number", help: "Wait this many seconds" },
        { key: "Timestamp", kind: "string", help: "Wait until this time (ISO 8601)" },
        ...(jsonata ? [] : [
          { key: "SecondsPath", kind: "string" as Kind, help: "Seconds from the input" },
          { key: "TimestampPath", kind: "string" as Kind, help: "Timestamp from the input" },
        ]),
        ...(jsonata ? DATA_FLOW_JSONATA.slice(1) : [DATA_FLOW_JSONPATH[0], DATA_FLOW_JSONPATH[4]]),
        ...COMMON_TAIL,
      ];
    case "Choice":
      return [
        ...base,
        { key: "Choices", kind: "json", help: "Rules in order; the first that matches wins. Drag the bottom handle to add one." },
        { key: "Default", kind: "string", help: "Where to go when no rule matches (drag the right handle)" },
        ...(jsonata ? DATA_FLOW_JSONATA.slice(1) : [DATA_FLOW_JSONPATH[0], DATA_FLOW_JSONPATH[4]]),
        ...COMMON_TAIL,
      ];
    case "Parallel":
      return [...base, ...flow, ...ERRORS, ...COMMON_TAIL];
    case "Map":
      return [
        ...base,
        { key: jsonata ? "Items" : "ItemsPath", kind: jsonata ? "json" : "string", help: "The array to iterate over" },
        { key: "ItemSelector", kind: "json", help: "Shape each item's input" },
        { key: "MaxConcurrency", kind: "number", help: "How many items at once (0: no limit)" },
        ...flow,
        ...ERRORS,
        ...COMMON_TAIL,
      ];
    case "Fail":
      return [
        ...base,
        { key: "Error", kind: "string", help: "The error name" },
        { key: "Cause", kind: "string", help: "A description of the failure" },
        ...(jsonata ? [] : [
          { key: "ErrorPath", kind: "string" as Kind, help: "Error from the input" },
          { key: "CausePath", kind: "string" as Kind, help: "Cause from the input" },
        ]),
        { key: "QueryLanguage", kind: "select", help: "Per-state query language", options: ["", "JSONPath", "JSONata"] },
      ];
    case "Succeed":
      return [...base, ...(jsonata ? DATA_FLOW_JSONATA.slice(1) : [DATA_FLOW_JSONPATH[0], DATA_FLOW_JSONPATH[4]]), ...COMMON_TAIL];
    default:
      return base;
  }
}

function show(v: Json | undefined, kind: Kind): string {
  if (v === undefined) return "";
  if (kind === "json") return JSON.stringify(v, null, 2);
  return typeof v === "string" ? v : JSON.stringify(v);
}

function Field({ spec, value, readOnly, onChange }: { spec: FieldSpec; value: Json | undefined; readOnly: boolean; onChange: (v: Json | undefined) => void }) {
  const [draft, setDraft] = useState(show(value, spec.kind));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(show(value, spec.kind));
    setError(null);
  }, [value, spec.kind]);
  const id = `field-${spec.key}`;

  const commit = (raw: string) => {
    if (raw === show(value, spec.kind)) return;
    if (raw.trim() === "") return onChange(undefined);
    if (spec.kind === "number") {
      const n = Number(raw);
      if (Number.isNaN(n)) return setError("a number");
      return onChange(n);
    }
    if (spec.kind === "json") {
      try {
        onChange(JSON.parse(raw) as Json);
        setError(null);
      } catch {
        setError("not valid JSON; not applied");
      }
      return;
    }
    onChange(raw);
  };

  return (
    <div className="field">
      <label htmlFor={id}>
        {spec.key}
        <span className="help">{spec.help}</span>
      </label>
      {spec.kind === "json" ? (
        <textarea
          id={id}
          value={draft}
          readOnly={readOnly}
          rows={Math.min(10, Math.max(2, draft.split("\n").length))}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          spellCheck={false}
        />
      ) : spec.kind === "select" ? (
        <select id={id} value={draft} disabled={readOnly} onChange={(e) => commit(e.target.value)}>
          {spec.options!.map((o) => (
            <option key={o} value={o}>{o || "(machine default)"}</option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={draft}
          readOnly={readOnly}
          inputMode={spec.kind === "number" ? "numeric" : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && commit((e.target as HTMLInputElement).value)}
        />
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

export function Inspector({ onError }: { onError: (m: string) => void }) {
  const selected = useDesigner((s) => s.selected);
  const doc = useDesigner((s) => s.doc);
  const graph = useDesigner((s) => s.graph);
  const readOnly = useDesigner((s) => s.readOnly);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const node = selected.length === 1 ? graph.nodes.find((n) => n.id === selected[0]) : undefined;
  const raw = node ? getAt(doc, node.id) : undefined;
  const state: JsonObject | null = isObject(raw) ? raw : null;
  const [name, setName] = useState(node?.name ?? "");
  useEffect(() => setName(node?.name ?? ""), [node?.name]);

  if (selected.length > 1) return <div className="inspector empty">{selected.length} states selected. Press Delete to remove them.</div>;
  if (!node || !state) {
    const root = { Comment: doc.Comment, QueryLanguage: doc.QueryLanguage, TimeoutSeconds: doc.TimeoutSeconds } as JsonObject;
    return (
      <div className="inspector">
        <h2>State machine</h2>
        <p className="hint">Select a state to edit it, or drag one from the palette.</p>
        {[
          { key: "Comment", kind: "string" as Kind, help: "What this workflow does" },
          { key: "QueryLanguage", kind: "select" as Kind, help: "JSONPath (default) or JSONata for every state", options: ["", "JSONPath", "JSONata"] },
          { key: "TimeoutSeconds", kind: "number" as Kind, help: "Fail the execution after this many seconds" },
        ].map((spec) => (
          <Field
            key={spec.key}
            spec={spec}
            value={root[spec.key]}
            readOnly={readOnly}
            onChange={(v) =>
              designer.getState().applyEdit((d) => {
                const out = { ...d };
                if (v === undefined) delete out[spec.key];
                else out[spec.key] = v;
                return out;
              })
            }
          />
        ))}
      </div>
    );
  }

  const jsonata = state.QueryLanguage === "JSONata" || (state.QueryLanguage === undefined && doc.QueryLanguage === "JSONata");
  const setField = (key: string, v: Json | undefined, coalesce?: string) => {
    const next: JsonObject = { ...state };
    if (v === undefined) delete next[key];
    else next[key] = v;
    designer.getState().applyEdit((d) => updateState(d, node.id, next), undefined, coalesce ? { coalesce: `${node.id}:${coalesce}` } : undefined);
  };
  const scopeStates = getAt(doc, node.scope === "" ? "/States" : `${node.scope}/States`);
  const targets = isObject(scopeStates) ? Object.keys(scopeStates).filter((n) => n !== node.name) : [];
  const rename = () => {
    const newName = name.trim();
    if (newName === node.name) return;
    try {
      designer.getState().applyEdit(
        (d) => renameState(d, node.id, newName),
        (l) => renameInLayout(l, node.name, newName),
      );
      designer.getState().select([node.id.slice(0, node.id.length - encodeTok(node.name).length) + encodeTok(newName)]);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
      setName(node.name);
    }
  };
  const scopeStart = getAt(doc, node.scope === "" ? "/StartAt" : `${node.scope}/StartAt`);
  const problems = diagnostics.filter((d) => d.location === node.id || d.location?.startsWith(node.id + "/"));

  return (
    <div className="inspector" data-testid="inspector">
      <h2>
        <span className="state-type-tag">{String(state.Type ?? "?")}</span>
      </h2>
      <div className="field">
        <label htmlFor="state-name">Name<span className="help">Renaming updates every transition to this state</span></label>
        <input id="state-name" value={name} readOnly={readOnly} onChange={(e) => setName(e.target.value)} onBlur={rename} onKeyDown={(e) => e.key === "Enter" && rename()} />
      </div>
      {scopeStart === node.name ? (
        <p className="hint">This is the start state.</p>
      ) : (
        !readOnly && (
          <button className="link" onClick={() => designer.getState().applyEdit((d) => setStartAt(d, node.scope, node.name))}>
            Make this the start state
          </button>
        )
      )}
      {state.Type !== "Choice" && state.Type !== "Succeed" && state.Type !== "Fail" && (
        <div className="field">
          <label htmlFor="field-Next">Next<span className="help">The state after this one, or the end (also by dragging the bottom handle)</span></label>
          <select
            id="field-Next"
            value={typeof state.Next === "string" ? state.Next : state.End === true ? "" : "__none"}
            disabled={readOnly}
            onChange={(e) => {
              const next: JsonObject = { ...state };
              delete next.Next;
              delete next.End;
              if (e.target.value === "") next.End = true;
              else next.Next = e.target.value;
              designer.getState().applyEdit((d) => updateState(d, node.id, next));
            }}
          >
            {state.Next === undefined && state.End !== true && <option value="__none" disabled>(not set)</option>}
            <option value="">End here</option>
            {targets.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
      )}
      {problems.length > 0 && (
        <ul className="inspector-problems">
          {problems.map((p, i) => (
            <li key={i} className={p.severity === "ERROR" ? "sev-error" : "sev-warning"}>
              <code>{p.location.slice(node.id.length) || "/"}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {fieldsFor(typeof state.Type === "string" ? state.Type : null, jsonata).map((spec) => {
        if (spec.key === "Choices")
          return <ChoiceRules key="Choices" rules={Array.isArray(state.Choices) ? state.Choices : []} targets={targets} jsonata={jsonata} readOnly={readOnly} onChange={(v) => setField("Choices", v, "choices")} />;
        if (spec.key === "Default")
          return (
            <div className="field" key="Default">
              <label htmlFor="field-Default">Default<span className="help">Where to go when no rule matches (or drag the right handle)</span></label>
              <select id="field-Default" value={typeof state.Default === "string" ? state.Default : ""} disabled={readOnly} onChange={(e) => setField("Default", e.target.value || undefined)}>
                <option value="">(none)</option>
                {targets.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </div>
          );
        if (spec.key === "Retry") return <RetryForm key="Retry" value={state.Retry} readOnly={readOnly} onChange={(v) => setField("Retry", v, "retry")} />;
        if (spec.key === "Catch") return <CatchForm key="Catch" value={state.Catch} targets={targets} readOnly={readOnly} onChange={(v) => setField("Catch", v, "catch")} />;
        return <Field key={spec.key} spec={spec} value={state[spec.key]} readOnly={readOnly} onChange={(v) => setField(spec.key, v)} />;
      })}
      {state.Type === "Parallel" && Array.isArray(state.Branches) && (
        <div className="field">
          <label>Branches<span className="help">Run at the same time; drop states into a branch on the canvas.</span></label>
          {state.Branches.map((_b, i) => (
            <div key={i} className="branch-row">
              Branch {i + 1}
              {!readOnly && state.Branches && (state.Branches as Json[]).length > 1 && (
                <button type="button" className="link" onClick={() => designer.getState().applyEdit((d) => removeBranch(d, node.id, i))}>Remove</button>
              )}
            </div>
          ))}
          {!readOnly && <button type="button" onClick={() => designer.getState().applyEdit((d) => addBranch(d, node.id))}>+ Add branch</button>}
        </div>
      )}
      {state.Type !== "Fail" && <DataFlowPreview pointer={node.id} name={node.name} type={typeof state.Type === "string" ? state.Type : null} />}
      <details>
        <summary>All fields (JSON)</summary>
        <Field
          spec={{ key: "State", kind: "json", help: "Every field of this state" }}
          value={state}
          readOnly={readOnly}
          onChange={(v) => isObject(v) && designer.getState().applyEdit((d) => updateState(d, node.id, v))}
        />
      </details>
    </div>
  );
}

function encodeTok(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}
