/** One execution, live: the graph coloured per state, the events, the selected state, Stop, Approve / Reject. */
import { useEffect, useMemo, useRef, useState } from "react";
import { api, type PreviewResult } from "../api/client";
import { runsApi, type AwsExecutionDetails, type Child, type ChildrenPage, type ExecutionDetail, type HistoryEvent, type WaitingToken } from "../api/runs";
import { parseText } from "../asl/document";
import { aslToGraph, needsLayout, type Graph, type Layout } from "../asl/graph";
import { autoLayout } from "../asl/layout";
import { navigate } from "../router";
import { BreakpointContext, PausedPanel, useBreakpoints } from "./BreakpointPanel";
import { pausedStates } from "./breakpoints";
import { JsonEditor, jsonError } from "./JsonEditor";
import { Legend, RunGraph } from "./RunGraph";
import { RunDialog } from "./RunDialog";
import { Timeline } from "./Timeline";
import { deriveRun, details, elapsed, parsePayload, STATUS_LABELS, type RunStatus, type RunView, type Visit } from "./status";
import { useExecution } from "./useExecution";
import "./runs.css";

export function Json({ value, label }: { value: unknown; label: string }) {
  if (value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <div className="json-block">
      <div className="json-label">{label}</div>
      <pre aria-label={label}>{text}</pre>
    </div>
  );
}

export function StatusPill({ status }: { status: string }) {
  return <span className={`exec-status exec-${status.toLowerCase()}`} data-testid="execution-status">{status.replace("_", " ")}</span>;
}

/** The graph of the version that ran, laid out like the designer lays it out. */
export function useRunGraph(execution: ExecutionDetail | null): { graph: Graph; text: string } | null {
  const [graph, setGraph] = useState<{ graph: Graph; text: string } | null>(null);
  const key = execution ? `${execution.workflow}/${execution.version ?? "draft"}` : null;
  useEffect(() => {
    if (!execution || !key) return;
    let cancelled = false;
    void (async () => {
      let text: string;
      let layout: Layout;
      if (execution.version) {
        const v = await api.version(execution.workflow, execution.version);
        text = v.definition;
        layout = v.layout ?? {};
      } else {
        const wf = await api.workflow(execution.workflow);
        text = wf.draft.definition;
        layout = wf.draft.layout ?? {};
      }
      const parsed = parseText(text);
      if (!parsed.ok) return;
      let g = aslToGraph(parsed.value, layout);
      if (needsLayout(g)) g = aslToGraph(parsed.value, { ...(await autoLayout(parsed.value)), ...layout });
      if (!cancelled) setGraph({ graph: g, text });
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return graph;
}

interface Waiting {
  state: string;
  token: string;
  success: (output: unknown) => Promise<unknown>;
  failure: (error: string, cause: string) => Promise<unknown>;
}

/** Tasks waiting on a callback: the local ones from the execution, those on AWS from its AWS details. */
function waitingOf(execution: ExecutionDetail, aws: AwsExecutionDetails | null): Waiting[] {
  if (execution.status !== "RUNNING") return [];
  if (execution.backend === "aws") {
    return (aws?.waiting_tasks ?? [])
      .filter((w) => !!w.token)
      .map((w) => ({
        state: w.state ?? `event ${w.event_id}`,
        token: w.token!,
        success: (output) => runsApi.awsTaskSuccess(execution.workflow, w.token!, output),
        failure: (error, cause) => runsApi.awsTaskFailure(execution.workflow, w.token!, error, cause),
      }));
  }
  return (execution.waiting_tokens ?? []).map((w: WaitingToken) => ({
    state: w.state,
    token: w.token,
    success: (output) => runsApi.taskSuccess(w.token, output),
    failure: (error, cause) => runsApi.taskFailure(w.token, error, cause),
  }));
}

function useAwsDetails(execution: ExecutionDetail | null): AwsExecutionDetails | null {
  const [details, setDetails] = useState<AwsExecutionDetails | null>(null);
  useEffect(() => {
    if (execution?.backend !== "aws") return;
    let cancelled = false;
    runsApi.awsDetails(execution.id).then((d) => !cancelled && setDetails(d), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [execution]);
  return details;
}

function CallbackForm({ waiting, onDone }: { waiting: Waiting; onDone: () => void }) {
  const [output, setOutput] = useState('{\n  "approved": true\n}');
  const [error, setError] = useState("Rejected");
  const [cause, setCause] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const bad = jsonError(output);
  const send = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await f();
      onDone();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="callback" aria-label={`Callback for ${waiting.state}`}>
      <h3>
        <span className="callback-dot" aria-hidden /> {waiting.state} is waiting for a callback
      </h3>
      <div className="callback-forms">
        <form onSubmit={(e) => (e.preventDefault(), void send(() => waiting.success(JSON.parse(output))))}>
          <JsonEditor value={output} onChange={setOutput} label={`Output for ${waiting.state}`} minHeight={70} />
          {bad && <span className="field-error">{bad}</span>}
          <button type="submit" className="primary approve" disabled={busy || !!bad}>Approve</button>
        </form>
        <form onSubmit={(e) => (e.preventDefault(), void send(() => waiting.failure(error, cause)))}>
          <label>
            Error
            <input value={error} onChange={(e) => setError(e.target.value)} aria-label={`Error for ${waiting.state}`} />
          </label>
          <label>
            Cause
            <input value={cause} onChange={(e) => setCause(e.target.value)} aria-label={`Cause for ${waiting.state}`} />
          </label>
          <button type="submit" className="danger" disabled={busy}>Reject</button>
        </form>
      </div>
      {problem && <p className="error" role="alert">{problem}</p>}
      <details>
        <summary>Task token</summary>
        <code className="token">{waiting.token}</code>
      </details>
    </section>
  );
}

/** Each data-flow step of a visit, replayed by the server's preview on the visit's real input and task result. */
function DataFlowSteps({ visit, result, source }: { visit: Visit; result: unknown; source: { text: string; pointer: string } | null }) {
  const [out, setOut] = useState<PreviewResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    setOut(null);
    setProblem(null);
  }, [visit]);
  useEffect(() => {
    if (!open || out || !source) return;
    let cancelled = false;
    api.preview({ definition: source.text, pointer: source.pointer, state: visit.name, input: visit.input, result: visit.type === "Task" ? result : undefined }).then(
      (r) => !cancelled && setOut(r),
      (e: unknown) => !cancelled && setProblem(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, out, source, visit, result]);
  if (!source) return null;
  return (
    <details className="dataflow" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Data-flow steps</summary>
      {!out && !problem && <p className="hint">Evaluating…</p>}
      {problem && <p className="error">{problem}</p>}
      {out && (
        <ol className="preview-steps" data-testid="dataflow-steps">
          {out.steps.map((st, i) => (
            <li key={i} className={st.error ? "sev-error" : st.skipped ? "skipped" : ""}>
              <strong>{st.field}</strong>
              {st.skipped ? <span className="meta"> (not set)</span> : st.error ? <span className="error"> {st.error}</span> : <pre>{JSON.stringify(st.value, null, 2)}</pre>}
            </li>
          ))}
          {out.error && (
            <li className="sev-error">
              <strong>{out.error.error}</strong> {out.error.cause}
            </li>
          )}
        </ol>
      )}
    </details>
  );
}

/** " · retried after 2.00 s" when a later attempt followed this failure. */
function retryDelay(visit: Visit, failedId: number, events: Map<number, HistoryEvent>): string {
  const failed = events.get(failedId);
  const next = visit.events.filter((id) => id > failedId).map((id) => events.get(id)).find((e) => e?.type === "TaskScheduled");
  if (!failed || !next) return "";
  return ` · retried after ${elapsed(Date.parse(next.timestamp) - Date.parse(failed.timestamp))}`;
}

function VisitDetail({ visit, events, source }: { visit: Visit; events: Map<number, HistoryEvent>; source: { text: string; pointer: string } | null }) {
  const scheduled = visit.events.map((id) => events.get(id)).find((e) => e?.type === "TaskScheduled");
  const params = scheduled ? parsePayload(details(scheduled)?.parameters) : undefined;
  const succeeded = [...visit.events].reverse().map((id) => events.get(id)).find((e) => e?.type === "TaskSucceeded");
  const result = succeeded ? parsePayload(details(succeeded)?.output) : undefined;
  return (
    <div className="visit">
      <p className="meta">
        {visit.iteration !== null ? `Iteration ${visit.iteration} · ` : ""}
        {STATUS_LABELS[visit.status]}
        {visit.exitedAt !== null ? ` · took ${elapsed(visit.exitedAt - visit.enteredAt)}` : ""}
        {visit.attempts > 1 ? ` · ${visit.attempts} attempts` : ""}
      </p>
      <Json value={visit.input} label="Input" />
      {params !== undefined && <Json value={params} label="Task parameters" />}
      {visit.failures.map((f, i) => (
        <div key={f.eventId} className="failure">
          <div className="json-label">
            {visit.attempts > 1 ? `Attempt ${i + 1} · ` : ""}
            {f.type}
            {retryDelay(visit, f.eventId, events)}
          </div>
          <p>
            <strong data-testid="state-error">{f.error ?? "(no error)"}</strong>
            {f.cause ? <span className="cause">: {f.cause}</span> : null}
          </p>
        </div>
      ))}
      {visit.exited && <Json value={visit.output} label="Output" />}
      {(visit.type !== "Task" || result !== undefined) && <DataFlowSteps visit={visit} result={result} source={source} />}
    </div>
  );
}

/** A Map visit's iterations from its MapIteration events, failed ones first. */
function iterationsOf(visit: Visit, events: Map<number, HistoryEvent>): Array<{ index: number; status: RunStatus }> {
  const by = new Map<number, RunStatus>();
  for (const id of visit.events) {
    const e = events.get(id);
    const index = e ? details(e)?.index : undefined;
    if (!e || typeof index !== "number") continue;
    if (e.type === "MapIterationStarted") by.set(index, by.get(index) ?? "running");
    else if (e.type === "MapIterationSucceeded") by.set(index, "succeeded");
    else if (e.type === "MapIterationFailed") by.set(index, "failed");
    else if (e.type === "MapIterationAborted") by.set(index, "aborted");
  }
  const rank = (st: RunStatus) => (st === "failed" ? 0 : st === "aborted" ? 1 : 2);
  return [...by].map(([index, status]) => ({ index, status })).sort((a, b) => rank(a.status) - rank(b.status) || a.index - b.index);
}

const CHILD_STATUS: Record<string, RunStatus> = { RUNNING: "running", SUCCEEDED: "succeeded", FAILED: "failed", TIMED_OUT: "failed", ABORTED: "aborted" };

function childTitle(c: Child): string {
  if (c.queued) return `Item ${c.index}: queued`;
  if (c.paused) return `Item ${c.index}: paused before ${c.state ?? "its next state"}`;
  const where = c.status === "RUNNING" && c.state ? ` in ${c.state}` : "";
  const why = c.error ? ` · ${c.error}${c.cause ? `: ${c.cause}` : ""}` : "";
  return `Item ${c.index}: ${STATUS_LABELS[CHILD_STATUS[c.status] ?? "running"]}${where}${why}`;
}

/** A running Map's iterations as they run on the workers, failed first; each opens as an execution of its own. */
function LiveIterations({ live }: { live: ChildrenPage }) {
  const rank = (c: Child) => (CHILD_STATUS[c.status] === "failed" ? 0 : c.status === "RUNNING" && !c.queued ? 1 : c.queued ? 3 : 2);
  const list = [...live.children].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const more = live.total - live.children.length;
  return (
    <div className="iterations" aria-label="Live iterations">
      <div className="json-label">
        {live.children[0]?.kind === "branch" ? "Branches" : "Iterations"} · {live.done} of {live.total} done, {live.failed} failed, {live.running} running
      </div>
      <div className="iteration-list">
        {list.map((c) => (
          <button key={c.id} className={`iteration run-${c.queued ? "not-run" : (CHILD_STATUS[c.status] ?? "running")}${c.paused ? " paused" : ""}`} data-status={c.queued ? "queued" : c.paused ? "paused" : c.status.toLowerCase()} onClick={() => navigate(`/executions/${c.id}`)} title={childTitle(c)}>
            {c.index}
          </button>
        ))}
      </div>
      {more > 0 && <p className="hint">and {more} more</p>}
    </div>
  );
}

function Iterations({ visit, run, events, onJump }: { visit: Visit; run: RunView; events: Map<number, HistoryEvent>; onJump: (name: string, enteredId: number) => void }) {
  const list = iterationsOf(visit, events);
  if (!list.length) return null;
  const jump = (index: number) => {
    const end = visit.exited ? Math.max(...visit.events) : Infinity;
    let best: Visit | null = null;
    for (const r of run.states.values()) {
      for (const v of r.visits) {
        if (v.iteration !== index || v.enteredId <= visit.enteredId || v.enteredId > end) continue;
        if (!best || (v.status === "failed" && best.status !== "failed") || (v.status === best.status && v.enteredId > best.enteredId)) best = v;
      }
    }
    if (best) onJump(best.name, best.enteredId);
  };
  return (
    <div className="iterations">
      <div className="json-label">Iterations{list.some((x) => x.status === "failed") ? " (failed first)" : ""}</div>
      <div className="iteration-list">
        {list.map((x) => (
          <button key={x.index} className={`iteration run-${x.status}`} onClick={() => jump(x.index)} title={`Item ${x.index}: ${STATUS_LABELS[x.status]}`}>
            {x.index}
          </button>
        ))}
      </div>
    </div>
  );
}

function failState(source: { text: string; pointer: string } | null): { error: string | null; cause: string | null } | null {
  if (!source) return null;
  const parsed = parseText(source.text);
  if (!parsed.ok) return null;
  let cur: unknown = parsed.value;
  for (const part of source.pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
  }
  const st = cur as { Type?: string; Error?: unknown; Cause?: unknown } | undefined;
  if (!st || st.Type !== "Fail") return null;
  return { error: typeof st.Error === "string" ? st.Error : null, cause: typeof st.Cause === "string" ? st.Cause : null };
}

/** A Parallel's branches, each with the status of the states in it. */
function Branches({ graph, name, run, onJump }: { graph: Graph | null; name: string; run: RunView; onJump: (name: string, enteredId: number) => void }) {
  const node = graph?.nodes.find((n) => n.kind === "state" && n.name === name);
  if (!graph || !node) return null;
  const branches = graph.nodes.filter((n) => n.kind === "branch" && n.parent === node.id);
  if (!branches.length) return null;
  return (
    <div className="iterations">
      <div className="json-label">Branches</div>
      <div className="iteration-list">
        {branches.map((b) => {
          const ran = graph.nodes
            .filter((n) => n.kind === "state" && n.scope.startsWith(b.scope))
            .map((n) => run.states.get(n.name))
            .filter((r): r is NonNullable<typeof r> => !!r && r.visits.length > 0);
          const has = (st: RunStatus) => ran.some((r) => r.status === st);
          const status: RunStatus = !ran.length ? "not-run" : has("failed") ? "failed" : has("running") ? "running" : has("aborted") ? "aborted" : "succeeded";
          const target = ran.find((r) => r.status === "failed") ?? ran.reduce<(typeof ran)[number] | null>((a, r) => (!a || r.visits.at(-1)!.enteredId > a.visits.at(-1)!.enteredId ? r : a), null);
          return (
            <button key={b.id} className={`iteration run-${status}`} disabled={!target} onClick={() => target && onJump(target.name, target.visits.at(-1)!.enteredId)} title={`${b.name}: ${STATUS_LABELS[status]}`}>
              {b.name} · {STATUS_LABELS[status]}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function StatePanel({ name, run, events, waiting, source, graph, jumpTo, onJump, onClose, live }: { name: string; run: RunView; events: Map<number, HistoryEvent>; waiting: Waiting[]; source: { text: string; pointer: string } | null; graph: Graph | null; jumpTo: number | null; onJump: (name: string, enteredId: number) => void; onClose: () => void; live: ChildrenPage | null }) {
  const r = run.states.get(name);
  const [pick, setPick] = useState<number | null>(null);
  useEffect(() => setPick(jumpTo), [name, jumpTo]);
  const visits = r?.visits ?? [];
  // failed visits first, then the latest
  const ordered = [...visits].sort((a, b) => Number(b.status === "failed") - Number(a.status === "failed") || b.enteredId - a.enteredId);
  const visit = (pick !== null ? visits.find((v) => v.enteredId === pick) : undefined) ?? ordered[0];
  const isFailState = visits[0]?.type === "Fail";
  // the execution's own error when it ended in this state; else (a Map iteration, a branch) the state's Error and Cause
  const failHere = !!run.failure && !!visit && visit.iteration === null && !visit.closed;
  const staticFail = useMemo(() => failState(source), [source]);
  return (
    <aside className="state-panel" aria-label={`State ${name}`}>
      <header>
        <h2>{name}</h2>
        <span className={`run-tag run-${r?.status ?? "not-run"}`}>{STATUS_LABELS[r?.status ?? "not-run"]}</span>
        <span className="spacer" />
        <button className="link" onClick={onClose} aria-label="Close the state panel">✕</button>
      </header>
      {!visits.length && <p className="hint">This state has not run.</p>}
      {visits.length > 1 && (
        <label className="visit-pick">
          {visits.length} visits
          <select value={visit?.enteredId ?? ""} onChange={(e) => setPick(Number(e.target.value))} aria-label="Visit">
            {ordered.map((v) => (
              <option key={v.enteredId} value={v.enteredId}>
                {v.iteration !== null ? `iteration ${v.iteration}` : `event ${v.enteredId}`} — {STATUS_LABELS[v.status]}
              </option>
            ))}
          </select>
        </label>
      )}
      {live?.live && live.state === name && visit && !visit.exited ? <LiveIterations live={live} /> : visit && visit.type === "Map" && <Iterations visit={visit} run={run} events={events} onJump={onJump} />}
      {visit && visit.type === "Parallel" && <Branches graph={graph} name={name} run={run} onJump={onJump} />}
      {visit && <VisitDetail visit={visit} events={events} source={source} />}
      {isFailState && (failHere || staticFail) && (
        <div className="failure">
          <p>
            <strong data-testid="state-error">{(failHere ? run.failure!.error : staticFail!.error) ?? "(no error)"}</strong>
            {(failHere ? run.failure!.cause : staticFail!.cause) ? <span className="cause">: {failHere ? run.failure!.cause : staticFail!.cause}</span> : null}
          </p>
        </div>
      )}
      {waiting.some((w) => w.state === name) && <p className="hint">Waiting for a callback: approve or reject it above.</p>}
    </aside>
  );
}

function ExecutionSummary({ execution, aws }: { execution: ExecutionDetail; aws: AwsExecutionDetails | null }) {
  return (
    <aside className="state-panel" aria-label="Execution">
      <h2>Execution</h2>
      {aws && (
        <div className="aws-box">
          <div className="json-label">On AWS{aws.connection ? ` · ${aws.connection.name}` : ""}{aws.express ? " · Express" : ""}</div>
          <code className="token">{aws.execution_arn}</code>
          <p className="meta">
            {aws.polled_at ? `History copied ${new Date(aws.polled_at).toLocaleTimeString()}` : "History not copied yet"}
            {aws.note ? ` · ${aws.note}` : ""}
          </p>
          {aws.last_error && <p className="error">{aws.last_error}</p>}
        </div>
      )}
      <p className="hint">Select a state on the graph or in the events to see its input, output and errors.</p>
      {execution.error && (
        <div className="failure">
          <div className="json-label">Error</div>
          <p>
            <strong>{execution.error}</strong>
            {execution.cause ? <span className="cause">: {execution.cause}</span> : null}
          </p>
        </div>
      )}
      <Json value={execution.input} label="Execution input" />
      {execution.status === "SUCCEEDED" && <Json value={execution.output} label="Execution output" />}
    </aside>
  );
}

const SHOWN = 500;

function sourceOf(drawn: { graph: Graph; text: string } | null, name: string): { text: string; pointer: string } | null {
  const node = drawn?.graph.nodes.find((n) => n.kind === "state" && n.name === name);
  return drawn && node ? { text: drawn.text, pointer: node.id } : null;
}

function summary(e: HistoryEvent): string {
  const d = details(e);
  if (!d) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === "name" || k.endsWith("Details") || k === "roleArn") continue;
    const text = typeof v === "string" ? v : JSON.stringify(v);
    parts.push(`${k}: ${text.length > 120 ? text.slice(0, 117) + "…" : text}`);
  }
  return parts.join(" · ");
}

function EventTable({ events, run, selected, onSelect, end, follow }: { events: HistoryEvent[]; run: RunView; selected: string | null; onSelect: (n: string | null) => void; end: number | null; follow: boolean }) {
  const [tab, setTab] = useState<"events" | "timeline">("events");
  const [filter, setFilter] = useState("");
  const [onlySelected, setOnlySelected] = useState(false);
  const [kind, setKind] = useState("all");
  const [all, setAll] = useState(false);
  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return events.filter((e) => {
      const state = run.stateOf.get(e.id) ?? "";
      if (onlySelected && selected && state !== selected) return false;
      if (kind === "failures" && !/(Failed|TimedOut|Aborted)$/.test(e.type)) return false;
      if (kind === "states" && !/State(Entered|Exited)$/.test(e.type)) return false;
      if (kind === "tasks" && !/^(Task|Activity|LambdaFunction)/.test(e.type)) return false;
      if (!q) return true;
      return e.type.toLowerCase().includes(q) || state.toLowerCase().includes(q) || JSON.stringify(details(e) ?? {}).toLowerCase().includes(q);
    });
  }, [events, run, filter, onlySelected, selected, kind]);
  const shown = all ? rows : rows.slice(-SHOWN);
  // follow new events while the table is scrolled to its end
  const scroller = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useEffect(() => {
    const el = scroller.current;
    if (el && atEnd.current && follow) el.scrollTop = el.scrollHeight;
  }, [shown.length, follow]);
  return (
    <section className="events" aria-label="Events">
      <div className="events-head">
        <div className="segmented events-tabs" role="group" aria-label="Show">
          <button aria-pressed={tab === "events"} onClick={() => setTab("events")}>Events</button>
          <button aria-pressed={tab === "timeline"} onClick={() => setTab("timeline")}>Timeline</button>
        </div>
        <span className="meta">{rows.length === events.length ? `${events.length}` : `${rows.length} of ${events.length}`}</span>
        {tab === "events" && (
          <>
        <input type="search" placeholder="Filter by type, state or details" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter events" />
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Event kind">
          <option value="all">All events</option>
          <option value="states">State entered / exited</option>
          <option value="tasks">Task events</option>
          <option value="failures">Failures</option>
        </select>
        <label className="check">
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} disabled={!selected} /> Only {selected ?? "the selected state"}
        </label>
          </>
        )}
      </div>
      {tab === "timeline" ? (
        <div className="events-scroll">
          <Timeline run={run} end={end} selected={selected} onSelect={onSelect} />
        </div>
      ) : (
      <div className="events-scroll" ref={scroller} onScroll={(e) => (atEnd.current = e.currentTarget.scrollTop + e.currentTarget.clientHeight >= e.currentTarget.scrollHeight - 24)}>
        {rows.length > shown.length && (
          <button className="link" onClick={() => setAll(true)}>
            Show the {rows.length - shown.length} earlier events
          </button>
        )}
        <table className="event-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Type</th>
              <th>State</th>
              <th>Since start</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => {
              const state = run.stateOf.get(e.id) ?? null;
              return (
                <tr
                  key={e.id}
                  className={`${/(Failed|TimedOut|Aborted)$/.test(e.type) ? "event-failed" : ""}${state && state === selected ? " event-selected" : ""}`}
                  onClick={() => onSelect(state)}
                >
                  <td>{e.id}</td>
                  <td>{e.type}</td>
                  <td>{state ?? ""}</td>
                  <td>{run.startedAt !== null ? elapsed(Date.parse(e.timestamp) - run.startedAt) : ""}</td>
                  <td className="event-details" title={JSON.stringify(details(e) ?? {}, null, 2)}>{summary(e)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!events.length && <p className="hint">No events yet.</p>}
      </div>
      )}
    </section>
  );
}

export function ExecutionPage({ id }: { id: number }) {
  const { execution, events, children, error, refresh } = useExecution(id);
  const drawn = useRunGraph(execution);
  const graph = drawn?.graph ?? null;
  const status = execution?.status ?? null;
  const run = useMemo(() => deriveRun(events, status), [events, status]);
  const byId = useMemo(() => new Map(events.map((e) => [e.id, e])), [events]);
  const [selected, setSelected] = useState<string | null>(null);
  const [jumpTo, setJumpTo] = useState<number | null>(null);
  const source = useMemo(() => (selected ? sourceOf(drawn, selected) : null), [drawn, selected]);
  const [stopping, setStopping] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const aws = useAwsDetails(execution);
  const [redriving, setRedriving] = useState(false);
  const [runAgain, setRunAgain] = useState(false);
  const ownBreakpoints = useBreakpoints(execution, setNotice);
  // iterations paused at a breakpoint show on their state as soon as the children poll sees them
  const breakpoints = useMemo(() => ({ ...ownBreakpoints, paused: pausedStates(execution?.status === "RUNNING" ? (execution.paused ?? []) : [], children) }), [ownBreakpoints, execution, children]);

  if (!execution) {
    return <div className="page">{error ? <p className="error">{error.includes("404") || error.includes("Not found") ? "This execution does not exist or is not shared with you." : error}</p> : <p className="hint">Loading…</p>}</div>;
  }
  const running = execution.status === "RUNNING";
  const waiting = waitingOf(execution, aws);
  const redrive = async () => {
    setRedriving(true);
    try {
      await runsApi.redrive(execution.id);
      refresh();
    } catch (e) {
      setNotice(e instanceof Error ? e.message : String(e));
    } finally {
      setRedriving(false);
    }
  };
  const end = execution.stopped_at ? Date.parse(execution.stopped_at) : null;
  const stop = async () => {
    if (!confirm("Stop this execution? Running states are aborted.")) return;
    setStopping(true);
    try {
      await runsApi.stop(execution.id, "Stopped from the execution view");
      refresh();
    } catch (e) {
      setNotice(e instanceof Error ? e.message : String(e));
    } finally {
      setStopping(false);
    }
  };

  return (
    <div className="execution-page">
      <header className="toolbar">
        <button className="link" onClick={() => navigate(`/workflows/${execution.workflow}`)}>← {execution.workflow_name}</button>
        <h1 title={execution.uuid}>{execution.name}</h1>
        <StatusPill status={execution.status} />
        <span className="meta">
          {execution.backend === "aws" ? "AWS" : "local"}
          {execution.version ? ` · version ${execution.version}` : ""}
          {execution.test_case ? ` · test case ${execution.test_case}` : ""}
          {execution.started_by ? ` · by ${execution.started_by}` : ""}
          {` · started ${new Date(execution.started_at).toLocaleString()}`}
          {end ? ` · took ${elapsed(end - Date.parse(execution.started_at))}` : ""}
          {execution.redrive_count ? ` · redriven ${execution.redrive_count}×` : ""}
        </span>
        <span className="spacer" />
        {notice && <span className="error">{notice}</span>}
        {error && <span className="error" title={error}>Connection problem, retrying…</span>}
        <button onClick={() => setRunAgain(true)} title="Start a new execution with this one's input, version and test case">Run again…</button>
        <button onClick={() => navigate(`/workflows/${execution.workflow}/executions`)}>All executions</button>
        {aws?.console_url && (
          <a className="toolbar-link" href={aws.console_url} target="_blank" rel="noreferrer">
            AWS console
          </a>
        )}
        {["FAILED", "TIMED_OUT", "ABORTED"].includes(execution.status) && (
          <button onClick={() => void redrive()} disabled={redriving} title="Go on from where it stopped (RedriveExecution)">
            {redriving ? "Redriving…" : "Redrive"}
          </button>
        )}
        {running && (
          <button className="danger" onClick={() => void stop()} disabled={stopping}>
            {stopping ? "Stopping…" : "Stop"}
          </button>
        )}
      </header>
      {runAgain && (
        <RunDialog
          workflowId={execution.workflow}
          onClose={() => setRunAgain(false)}
          again={{ input: execution.input, version: execution.version, testCase: execution.test_case, backend: execution.backend, breakpoints: execution.breakpoints }}
        />
      )}
      <BreakpointContext.Provider value={breakpoints}>
      <div className="execution-body">
        <div className="execution-main">
          <div className="graph-wrap">
            {graph ? <RunGraph graph={graph} states={run.states} selected={selected} onSelect={(n) => (setSelected(n), setJumpTo(null))} liveChildren={children} /> : <p className="hint">Drawing the graph…</p>}
            <Legend />
          </div>
          <EventTable events={events} run={run} selected={selected} onSelect={(n) => (setSelected(n), setJumpTo(null))} end={end} follow={running} />
        </div>
        <div className="side-col">
          <PausedPanel execution={execution} onDone={refresh} />
          {waiting.length > 0 && (
            <div className="callbacks">
              {waiting.map((w) => (
                <CallbackForm key={w.token} waiting={w} onDone={refresh} />
              ))}
            </div>
          )}
          {selected ? <StatePanel name={selected} run={run} events={byId} waiting={waiting} source={source} graph={graph} jumpTo={jumpTo} onJump={(n, id) => (setSelected(n), setJumpTo(id))} onClose={() => setSelected(null)} live={children} /> : <ExecutionSummary execution={execution} aws={aws} />}
        </div>
      </div>
      </BreakpointContext.Provider>
    </div>
  );
}
