/** Executions of one workflow, or of a team (or all the user's teams): filter by status, backend and who started them, search by name. */
import { useEffect, useState } from "react";
import { api, type Page } from "../api/client";
import { runsApi, type Execution } from "../api/runs";
import { navigate } from "../router";
import { useSession } from "../store/session";
import { StatusPill } from "./ExecutionPage";
import { RunDialog } from "./RunDialog";
import { elapsed } from "./status";
import "./runs.css";

const PAGE = 50;
const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

function duration(e: Execution): string {
  const end = e.stopped_at ? Date.parse(e.stopped_at) : null;
  return end ? elapsed(end - Date.parse(e.started_at)) : "running";
}

export function ExecutionsList({ workflowId }: { workflowId?: number }) {
  const teams = useSession((s) => s.user?.teams ?? []);
  const currentTeam = useSession((s) => s.teamId);
  // The list across teams starts on the team chosen in the header; "" is every team the user is in.
  const [team, setTeam] = useState(() => (currentTeam ? String(currentTeam) : ""));
  const [status, setStatus] = useState("");
  const [backend, setBackend] = useState("");
  const [search, setSearch] = useState("");
  const [mine, setMine] = useState("");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Execution> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const pick = (id: number, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));

  useEffect(() => {
    if (workflowId) void api.workflow(workflowId).then((w) => setTitle(w.name), () => setTitle(null));
  }, [workflowId]);

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const load = () =>
      runsApi.executions({ workflow: workflowId, team: workflowId || !team ? undefined : Number(team), status, backend, search: search.trim(), started_by: mine, limit: PAGE, offset: page > 1 ? (page - 1) * PAGE : undefined }).then(
        (d) => {
          if (cancelled) return;
          setData(d);
          setError(null);
          // keep running ones fresh
          if (d.results.some((e) => e.status === "RUNNING")) timer = window.setTimeout(load, 2000);
        },
        (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
      );
    const debounce = window.setTimeout(load, search ? 250 : 0);
    return () => {
      cancelled = true;
      window.clearTimeout(debounce);
      window.clearTimeout(timer);
    };
  }, [workflowId, team, status, backend, search, mine, page]);

  const open = (e: Execution) => navigate(`/executions/${e.id}`);
  return (
    <div className="page executions-page">
      <div className="list-head">
        {workflowId && <button className="link" onClick={() => navigate(`/workflows/${workflowId}`)}>← {title ?? "Workflow"}</button>}
        <h1>{workflowId ? `Executions of ${title ?? "…"}` : "Executions"}</h1>
        <span className="spacer" />
        <button disabled={picked.length !== 2} onClick={() => navigate(`/executions/compare?a=${picked[0]}&b=${picked[1]}`)} title="Tick two executions to compare them side by side">
          Compare{picked.length ? ` (${picked.length}/2)` : ""}
        </button>
        {workflowId && <button className="primary" onClick={() => setRunning(true)}>Run…</button>}
      </div>
      <div className="filters">
        {!workflowId && teams.length > 1 && (
          <select value={team} onChange={(e) => (setTeam(e.target.value), setPage(1))} aria-label="Team">
            <option value="">All my teams</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        )}
        <input type="search" placeholder="Search by execution name" value={search} onChange={(e) => (setSearch(e.target.value), setPage(1))} aria-label="Search executions" />
        <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))} aria-label="Status">
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s.replace("_", " ").toLowerCase()}</option>)}
        </select>
        <select value={backend} onChange={(e) => (setBackend(e.target.value), setPage(1))} aria-label="Backend">
          <option value="">Local and AWS</option>
          <option value="local">Local</option>
          <option value="aws">AWS</option>
        </select>
        <input placeholder="Started by (username)" value={mine} onChange={(e) => (setMine(e.target.value.trim()), setPage(1))} aria-label="Started by" />
      </div>
      {error && <p className="error">{error}</p>}
      {data && data.results.length === 0 && <div className="empty-state">No executions{status || backend || search || mine ? " match these filters" : " yet"}.</div>}
      {data && data.results.length > 0 && (
        <table className="workflow-table execution-table">
          <thead>
            <tr>
              <th><span className="sr-only">Pick</span></th>
              <th>Name</th>
              {!workflowId && <th>Workflow</th>}
              <th>Status</th>
              <th>Backend</th>
              <th>Version</th>
              <th>Started</th>
              <th>Duration</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {data.results.map((e) => (
              <tr key={e.id} onClick={() => open(e)}>
                <td className="pick" onClick={(ev) => ev.stopPropagation()}>
                  <input type="checkbox" checked={picked.includes(e.id)} onChange={(ev) => pick(e.id, ev.target.checked)} aria-label={`Compare ${e.name}`} />
                </td>
                <td>
                  <a href={`/executions/${e.id}`} onClick={(ev) => (ev.preventDefault(), ev.stopPropagation(), open(e))}>{e.name}</a>
                  {e.test_case && <span className="meta"> · {e.test_case}</span>}
                </td>
                {!workflowId && <td>{e.workflow_name}</td>}
                <td><StatusPill status={e.status} /></td>
                <td>{e.backend}</td>
                <td>{e.version ?? ""}</td>
                <td>{new Date(e.started_at).toLocaleString()}</td>
                <td>{duration(e)}</td>
                <td>{e.started_by ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (data.next || data.previous) && (
        <div className="row pager">
          <button disabled={!data.previous} onClick={() => setPage((p) => p - 1)}>Newer</button>
          <span className="meta">page {page} · {data.count} executions</span>
          <button disabled={!data.next} onClick={() => setPage((p) => p + 1)}>Older</button>
        </div>
      )}
      {running && workflowId && <RunDialog workflowId={workflowId} onClose={() => setRunning(false)} />}
    </div>
  );
}
