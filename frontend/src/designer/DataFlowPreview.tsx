/**
 * A live preview of a state's data flow (InputPath → Parameters → ResultSelector → ResultPath →
 * OutputPath, or JSONata Arguments / Output / Assign), evaluated by the server on a sample input.
 */
import { useEffect, useState } from "react";
import { api, ApiError, type PreviewResult } from "../api/client";
import { designer, useDesigner } from "../store/designer";

const SAMPLE_KEY = (workflow: number) => `stepwright.sample.${workflow}`;

export function DataFlowPreview({ pointer, name, type }: { pointer: string; name: string; type: string | null }) {
  const workflow = useDesigner((s) => s.workflow?.id ?? 0);
  const text = useDesigner((s) => s.text);
  const [input, setInput] = useState(() => localStorage.getItem(SAMPLE_KEY(workflow)) ?? '{\n  "value": 1\n}');
  const [result, setResult] = useState('{\n  "ok": true\n}');
  const [out, setOut] = useState<PreviewResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);

  const run = async () => {
    let parsedInput: unknown;
    let parsedResult: unknown;
    try {
      parsedInput = JSON.parse(input);
      parsedResult = type === "Task" ? JSON.parse(result) : undefined;
    } catch {
      setError("The sample input (and task result) must be JSON.");
      return;
    }
    localStorage.setItem(SAMPLE_KEY(workflow), input);
    setBusy(true);
    setError(null);
    try {
      setOut(await api.preview({ definition: designer.getState().text, pointer, state: name, input: parsedInput, result: parsedResult }));
    } catch (e) {
      setOut(null);
      setError(e instanceof ApiError && e.status === 404 ? "The server has no data-flow preview yet." : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // keep an open preview current while the state is edited
  useEffect(() => {
    if (!open || !out) return;
    const t = setTimeout(() => void run(), 600);
    return () => clearTimeout(t);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <details className="preview" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Data flow preview</summary>
      <div className="field">
        <label htmlFor="preview-input">Sample input<span className="help">JSON given to this state</span></label>
        <textarea id="preview-input" rows={4} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} />
      </div>
      {type === "Task" && (
        <div className="field">
          <label htmlFor="preview-result">Task result<span className="help">What the service would answer</span></label>
          <textarea id="preview-result" rows={3} value={result} onChange={(e) => setResult(e.target.value)} spellCheck={false} />
        </div>
      )}
      <button type="button" onClick={() => void run()} disabled={busy}>{busy ? "Evaluating…" : "Preview"}</button>
      {error && <p className="error">{error}</p>}
      {out && (
        <ol className="preview-steps" data-testid="preview-steps">
          {out.steps.map((st, i) => (
            <li key={i} className={st.error ? "sev-error" : st.skipped ? "skipped" : ""}>
              <strong>{st.field}</strong>
              {st.skipped ? <span className="meta"> (not set)</span> : st.error ? <span className="error"> {st.error}</span> : <pre>{JSON.stringify(st.value, null, 2)}</pre>}
            </li>
          ))}
          {out.error && <li className="sev-error"><strong>{out.error.error}</strong> {out.error.cause}</li>}
        </ol>
      )}
    </details>
  );
}
