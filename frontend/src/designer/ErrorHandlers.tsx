/** Forms for Retry and Catch. */
import type { Json, JsonObject } from "../asl/types";
import { isObject } from "../asl/types";

const COMMON_ERRORS = ["States.ALL", "States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout", "States.Permissions", "States.ResultPathMatchFailure"];

function errorsText(v: Json | undefined): string {
  return Array.isArray(v) ? v.join(", ") : "";
}
function parseErrors(s: string): string[] {
  return s.split(",").map((x) => x.trim()).filter(Boolean);
}
function num(v: string): number | undefined {
  return v.trim() === "" || Number.isNaN(Number(v)) ? undefined : Number(v);
}
function set(obj: JsonObject, key: string, v: Json | undefined): JsonObject {
  const out = { ...obj };
  if (v === undefined) delete out[key];
  else out[key] = v;
  return out;
}

export function RetryForm({ value, readOnly, onChange }: { value: Json | undefined; readOnly: boolean; onChange: (v: Json | undefined) => void }) {
  const list = Array.isArray(value) ? value : [];
  const update = (i: number, r: JsonObject) => onChange(list.map((x, j) => (j === i ? r : x)));
  return (
    <div className="field retry-list" data-testid="retry-form">
      <label>Retry<span className="help">Retriers in order; the first whose errors match is used.</span></label>
      <datalist id="asl-errors">{COMMON_ERRORS.map((e) => <option key={e} value={e} />)}</datalist>
      {list.map((raw, i) => {
        const r = isObject(raw) ? raw : {};
        return (
          <div key={i} className="item">
            <label className="wide">Errors (comma separated)
              <input list="asl-errors" value={errorsText(r.ErrorEquals)} readOnly={readOnly} onChange={(e) => update(i, set(r, "ErrorEquals", parseErrors(e.target.value)))} />
            </label>
            <label>Interval (s)<input inputMode="numeric" value={r.IntervalSeconds === undefined ? "" : String(r.IntervalSeconds)} readOnly={readOnly} placeholder="1" onChange={(e) => update(i, set(r, "IntervalSeconds", num(e.target.value)))} /></label>
            <label>Max attempts<input inputMode="numeric" value={r.MaxAttempts === undefined ? "" : String(r.MaxAttempts)} readOnly={readOnly} placeholder="3" onChange={(e) => update(i, set(r, "MaxAttempts", num(e.target.value)))} /></label>
            <label>Backoff rate<input inputMode="decimal" value={r.BackoffRate === undefined ? "" : String(r.BackoffRate)} readOnly={readOnly} placeholder="2.0" onChange={(e) => update(i, set(r, "BackoffRate", num(e.target.value)))} /></label>
            <label>Max delay (s)<input inputMode="numeric" value={r.MaxDelaySeconds === undefined ? "" : String(r.MaxDelaySeconds)} readOnly={readOnly} onChange={(e) => update(i, set(r, "MaxDelaySeconds", num(e.target.value)))} /></label>
            <label>Jitter
              <select value={typeof r.JitterStrategy === "string" ? r.JitterStrategy : ""} disabled={readOnly} onChange={(e) => update(i, set(r, "JitterStrategy", e.target.value || undefined))}>
                <option value="">none</option><option value="FULL">FULL</option><option value="NONE">NONE</option>
              </select>
            </label>
            {!readOnly && <button type="button" className="link" onClick={() => { const out = list.filter((_x, j) => j !== i); onChange(out.length ? out : undefined); }}>Remove</button>}
          </div>
        );
      })}
      {!readOnly && <button type="button" onClick={() => onChange([...list, { ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }])}>+ Add retrier</button>}
    </div>
  );
}

export function CatchForm({ value, targets, readOnly, onChange }: { value: Json | undefined; targets: string[]; readOnly: boolean; onChange: (v: Json | undefined) => void }) {
  const list = Array.isArray(value) ? value : [];
  const update = (i: number, r: JsonObject) => onChange(list.map((x, j) => (j === i ? r : x)));
  return (
    <div className="field retry-list" data-testid="catch-form">
      <label>Catch<span className="help">Where to go on errors after retries; also by dragging the red handle.</span></label>
      {list.map((raw, i) => {
        const c = isObject(raw) ? raw : {};
        return (
          <div key={i} className="item">
            <label className="wide">Errors (comma separated)
              <input list="asl-errors" value={errorsText(c.ErrorEquals)} readOnly={readOnly} onChange={(e) => update(i, set(c, "ErrorEquals", parseErrors(e.target.value)))} />
            </label>
            <label>Go to
              <select value={typeof c.Next === "string" ? c.Next : ""} disabled={readOnly} onChange={(e) => update(i, set(c, "Next", e.target.value))}>
                <option value="" disabled>choose a state</option>
                {targets.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </label>
            <label>ResultPath<input value={typeof c.ResultPath === "string" ? c.ResultPath : ""} readOnly={readOnly} placeholder="$.error" onChange={(e) => update(i, set(c, "ResultPath", e.target.value || undefined))} /></label>
            {!readOnly && <button type="button" className="link" onClick={() => { const out = list.filter((_x, j) => j !== i); onChange(out.length ? out : undefined); }}>Remove</button>}
          </div>
        );
      })}
      {!readOnly && targets.length > 0 && <button type="button" onClick={() => onChange([...list, { ErrorEquals: ["States.ALL"], Next: targets[0] }])}>+ Add catcher</button>}
    </div>
  );
}
