/** A timeline of state durations: one bar per visit, from entered to exited, on the execution's time axis. */
import { useMemo } from "react";
import { elapsed, STATUS_LABELS, type RunView, type Visit } from "./status";

const MAX_ROWS = 300;

export function Timeline({ run, end, selected, onSelect }: { run: RunView; end: number | null; selected: string | null; onSelect: (name: string) => void }) {
  const visits = useMemo(() => {
    const all: Visit[] = [];
    for (const r of run.states.values()) all.push(...r.visits);
    return all.sort((a, b) => a.enteredId - b.enteredId);
  }, [run]);
  if (run.startedAt === null || !visits.length) return <p className="hint">No states have run yet.</p>;
  const start = run.startedAt;
  const last = Math.max(end ?? 0, ...visits.map((v) => v.exitedAt ?? v.enteredAt), start + 1);
  const span = last - start;
  const shown = visits.slice(0, MAX_ROWS);
  return (
    <div className="timeline" role="list" aria-label="Timeline">
      {shown.map((v) => {
        const to = v.exitedAt ?? last;
        const left = ((v.enteredAt - start) / span) * 100;
        const width = Math.max(((to - v.enteredAt) / span) * 100, 0.4);
        return (
          <button
            key={v.enteredId}
            role="listitem"
            className={`timeline-row${v.name === selected ? " selected" : ""}`}
            onClick={() => onSelect(v.name)}
            title={`${v.name}${v.iteration !== null ? ` [${v.iteration}]` : ""}: ${STATUS_LABELS[v.status]}, ${elapsed(to - v.enteredAt)}`}
          >
            <span className="timeline-name">
              {v.name}
              {v.iteration !== null ? <span className="meta"> [{v.iteration}]</span> : null}
            </span>
            <span className="timeline-track">
              <span className={`timeline-bar run-${v.status}`} style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
            </span>
            <span className="timeline-time">{elapsed(to - v.enteredAt)}</span>
          </button>
        );
      })}
      {visits.length > shown.length && <p className="hint">and {visits.length - shown.length} more visits</p>}
    </div>
  );
}
