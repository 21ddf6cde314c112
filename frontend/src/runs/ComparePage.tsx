/** Two executions side by side: their graphs, and each state's status, visits and time in both. */
import { useMemo, useState } from "react";
import { navigate } from "../router";
import { Json, StatusPill, useRunGraph } from "./ExecutionPage";
import { Legend, RunGraph } from "./RunGraph";
import { deriveRun, elapsed, STATUS_LABELS, type RunView } from "./status";
import { useExecution, type Followed } from "./useExecution";
import "./runs.css";

function timeIn(run: RunView, name: string): number | null {
  const r = run.states.get(name);
  if (!r || !r.visits.length) return null;
  return r.visits.reduce((a, v) => a + ((v.exitedAt ?? v.enteredAt) - v.enteredAt), 0);
}

function Pane({ f, run, selected, onSelect }: { f: Followed; run: RunView; selected: string | null; onSelect: (n: string | null) => void }) {
  const drawn = useRunGraph(f.execution);
  const e = f.execution;
  if (!e) return <div className="compare-pane"><p className="hint">{f.error ?? "Loading…"}</p></div>;
  const end = e.stopped_at ? Date.parse(e.stopped_at) : null;
  const visit = selected ? run.states.get(selected)?.visits.at(-1) : undefined;
  return (
    <div className="compare-pane" aria-label={`Execution ${e.name}`}>
      <header>
        <a href={`/executions/${e.id}`} onClick={(ev) => (ev.preventDefault(), navigate(`/executions/${e.id}`))}>{e.name}</a>
        <StatusPill status={e.status} />
        <span className="meta">
          {e.workflow_name} · v{e.version ?? "draft"} · {e.backend}
          {end ? ` · ${elapsed(end - Date.parse(e.started_at))}` : ""}
        </span>
      </header>
      <div className="compare-graph">
        {drawn ? <RunGraph graph={drawn.graph} states={run.states} selected={selected} onSelect={onSelect} /> : <p className="hint">Drawing the graph…</p>}
      </div>
      <div className="compare-detail">
        {visit ? (
          <>
            <Json value={visit.input} label={`${selected} input`} />
            {visit.failures.map((x) => (
              <div className="failure" key={x.eventId}>
                <p><strong>{x.error ?? x.type}</strong>{x.cause ? `: ${x.cause}` : ""}</p>
              </div>
            ))}
            {visit.exited && <Json value={visit.output} label={`${selected} output`} />}
          </>
        ) : (
          <>
            <Json value={e.input} label="Execution input" />
            {e.error ? <div className="failure"><p><strong>{e.error}</strong>{e.cause ? `: ${e.cause}` : ""}</p></div> : <Json value={e.output ?? undefined} label="Execution output" />}
          </>
        )}
      </div>
    </div>
  );
}

export function ComparePage({ a, b }: { a: number; b: number }) {
  const fa = useExecution(a);
  const fb = useExecution(b);
  const ra = useMemo(() => deriveRun(fa.events, fa.execution?.status ?? null), [fa.events, fa.execution?.status]);
  const rb = useMemo(() => deriveRun(fb.events, fb.execution?.status ?? null), [fb.events, fb.execution?.status]);
  const [selected, setSelected] = useState<string | null>(null);
  const names = useMemo(() => {
    const order = new Map<string, number>();
    for (const run of [ra, rb]) for (const [name, r] of run.states) order.set(name, Math.min(order.get(name) ?? Infinity, r.visits[0]?.enteredId ?? Infinity));
    return [...order.keys()].sort((x, y) => order.get(x)! - order.get(y)!);
  }, [ra, rb]);
  const cell = (run: RunView, name: string) => {
    const r = run.states.get(name);
    const t = timeIn(run, name);
    return (
      <td>
        <span className={`run-tag run-${r?.status ?? "not-run"}`}>{STATUS_LABELS[r?.status ?? "not-run"]}</span>
        {r && r.visits.length > 1 ? <span className="meta"> ×{r.visits.length}</span> : null}
        {t !== null ? <span className="meta"> · {elapsed(t)}</span> : null}
      </td>
    );
  };
  return (
    <div className="compare-page">
      <header className="toolbar">
        <button className="link" onClick={() => history.back()}>← Back</button>
        <h1>Compare executions</h1>
        <span className="spacer" />
        <Legend />
      </header>
      <div className="compare-panes">
        <Pane f={fa} run={ra} selected={selected} onSelect={setSelected} />
        <Pane f={fb} run={rb} selected={selected} onSelect={setSelected} />
      </div>
      <div className="compare-table-wrap">
        <table className="event-table compare-table" aria-label="States compared">
          <thead>
            <tr>
              <th>State</th>
              <th>{fa.execution?.name ?? "A"}</th>
              <th>{fb.execution?.name ?? "B"}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => {
              const differs = (ra.states.get(n)?.status ?? "not-run") !== (rb.states.get(n)?.status ?? "not-run");
              return (
                <tr key={n} className={`${differs ? "differs" : ""}${n === selected ? " event-selected" : ""}`} onClick={() => setSelected(n)}>
                  <td>{n}</td>
                  {cell(ra, n)}
                  {cell(rb, n)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
