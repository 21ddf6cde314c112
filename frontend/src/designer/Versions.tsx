/** Versions: the history list, "save version", a diff of two versions drawn on the graph, restore. */
import { useEffect, useState } from "react";
import { api, ApiError, userName, type Diff, type Version } from "../api/client";
import { designer, useDesigner } from "../store/designer";

export function Versions({ onClose, onError }: { onClose: () => void; onError: (m: string) => void }) {
  const workflow = useDesigner((s) => s.workflow);
  const readOnly = useDesigner((s) => s.readOnly);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("draft");
  const [diff, setDiff] = useState<Diff | null>(null);

  const reload = () => {
    if (!workflow) return;
    api.versions(workflow.id).then((p) => {
      setVersions(p.results);
      if (p.results.length && !from) setFrom(String(p.results[0].number));
    }, (e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(reload, [workflow?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => designer.getState().setDiffMarks(null), []);

  const showDiff = async () => {
    if (!workflow || !from) return;
    try {
      const d = await api.diff(workflow.id, from === "draft" ? "draft" : Number(from), to === "draft" ? "draft" : Number(to));
      setDiff(d);
      const marks: Record<string, "added" | "changed" | "removed"> = {};
      d.added.forEach((n) => (marks[n] = "added"));
      d.removed.forEach((n) => (marks[n] = "removed"));
      d.changed.forEach((c) => (marks[c.state] = "changed"));
      designer.getState().setDiffMarks(marks);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };

  const restore = async (n: number) => {
    if (!workflow || !confirm(`Replace the draft with version ${n}?`)) return;
    try {
      await api.restore(workflow.id, n);
      const wf = await api.workflow(workflow.id);
      designer.getState().load(wf, readOnly);
    } catch (e) {
      onError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <aside className="versions" aria-label="Versions" data-testid="versions">
      <header>
        <h2>Versions</h2>
        <button onClick={onClose} aria-label="Close versions">✕</button>
      </header>
      {versions === null ? (
        <p className="hint">Loading…</p>
      ) : versions.length === 0 ? (
        <p className="hint">No versions yet. "Save version" keeps the draft as version 1.</p>
      ) : (
        <>
          <div className="diff-pick">
            <label>
              From
              <select value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Diff from">
                {versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
              </select>
            </label>
            <label>
              To
              <select value={to} onChange={(e) => setTo(e.target.value)} aria-label="Diff to">
                <option value="draft">draft</option>
                {versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
              </select>
            </label>
            <button onClick={showDiff}>Compare</button>
            {diff && <button onClick={() => (setDiff(null), designer.getState().setDiffMarks(null))}>Clear</button>}
          </div>
          {diff && (
            <div className="diff" data-testid="diff">
              {diff.added.length + diff.removed.length + diff.changed.length === 0 && <p className="hint">No differences.</p>}
              {diff.added.map((n) => <div key={`a${n}`} className="diff-added">+ {n}</div>)}
              {diff.removed.map((n) => <div key={`r${n}`} className="diff-removed">− {n}</div>)}
              {diff.changed.map((c) => (
                <div key={`c${c.state}`} className="diff-changed">
                  ~ {c.state}
                  <ul>
                    {c.changes.map((ch, i) => (
                      <li key={i}>
                        <code>{ch.pointer}</code>: <del>{JSON.stringify(ch.before)}</del> → <ins>{JSON.stringify(ch.after)}</ins>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
          <ol className="version-list">
            {versions.map((v) => (
              <li key={v.number}>
                <div>
                  <strong>v{v.number}</strong> <span className={`status status-${v.validation_status}`}>{v.validation_status}</span>
                </div>
                <div className="version-message">{v.message || <em>no message</em>}</div>
                <div className="meta">{userName(v.author)} · {new Date(v.created_at).toLocaleString()}</div>
                {!readOnly && <button className="link" onClick={() => restore(v.number)}>Restore</button>}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
