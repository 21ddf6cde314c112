/** Start an execution: the input, the version, the target (local with a test case of mocks, or AWS), Start. */
import { useEffect, useMemo, useState } from "react";
import { api, ApiError, results, type Version, type Workflow } from "../api/client";
import { runsApi, type AwsConnection, type SampleInput, type TestCase } from "../api/runs";
import { parseText } from "../asl/document";
import { navigate } from "../router";
import { BreakpointPicker } from "./BreakpointPanel";
import { allStateNames } from "./breakpoints";
import { JsonEditor, jsonError } from "./JsonEditor";
import { fromTable, toTable, type MockRow, type MockTable } from "./mocks";
import { taskStates } from "./status";
import "./runs.css";

const NEW_CASE = "__new__";
const DRAFT = "draft";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
/** The most recently saved sample: the input the dialog opens with. */
const newest = (samples: SampleInput[]) => samples.reduce<SampleInput | undefined>((a, s) => (!a || s.updated_at > a.updated_at ? s : a), undefined);

export function MockTableEditor({ states, table, onChange }: { states: string[]; table: MockTable; onChange: (t: MockTable) => void }) {
  const set = (state: string, rows: MockRow[]) => onChange({ ...table, [state]: rows });
  if (!states.length) return <p className="hint">This workflow has no Task states: nothing to mock.</p>;
  return (
    <table className="mock-table">
      <thead>
        <tr>
          <th>Task state</th>
          <th>Attempt</th>
          <th>Response</th>
          <th>Value, or error and cause</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {states.map((state) => {
          const rows = table[state] ?? [];
          if (!rows.length) {
            return (
              <tr key={state}>
                <td className="mock-state">{state}</td>
                <td colSpan={3} className="hint">Not mocked: a local handler answers, or the task waits for a callback.</td>
                <td>
                  <button type="button" onClick={() => set(state, [{ kind: "Return", value: "{}", error: "", cause: "" }])}>Mock</button>
                </td>
              </tr>
            );
          }
          return rows.map((r, i) => {
            const update = (patch: Partial<MockRow>) => set(state, rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
            const bad = r.kind === "Return" ? jsonError(r.value || "null") : null;
            return (
              <tr key={`${state}-${i}`}>
                <td className="mock-state">{i === 0 ? state : ""}</td>
                <td>{i + 1}</td>
                <td>
                  <select aria-label={`Response of ${state}, attempt ${i + 1}`} value={r.kind} onChange={(e) => update({ kind: e.target.value as MockRow["kind"] })}>
                    <option value="Return">Return</option>
                    <option value="Throw">Throw</option>
                  </select>
                </td>
                <td>
                  {r.kind === "Return" ? (
                    <>
                      <input className={bad ? "invalid" : undefined} aria-label={`Return value of ${state}, attempt ${i + 1}`} value={r.value} spellCheck={false} onChange={(e) => update({ value: e.target.value })} />
                      {bad && <span className="field-error">{bad}</span>}
                    </>
                  ) : (
                    <div className="mock-throw">
                      <input aria-label={`Error of ${state}, attempt ${i + 1}`} placeholder="Error, e.g. Lambda.ServiceException" value={r.error} onChange={(e) => update({ error: e.target.value })} />
                      <input aria-label={`Cause of ${state}, attempt ${i + 1}`} placeholder="Cause" value={r.cause} onChange={(e) => update({ cause: e.target.value })} />
                    </div>
                  )}
                </td>
                <td className="mock-actions">
                  {i === rows.length - 1 && (
                    <button type="button" title="Add an attempt (for retries)" onClick={() => set(state, [...rows, { kind: "Return", value: "{}", error: "", cause: "" }])}>+</button>
                  )}
                  <button type="button" title="Remove this attempt" aria-label={`Remove attempt ${i + 1} of ${state}`} onClick={() => set(state, rows.filter((_, j) => j !== i))}>✕</button>
                </td>
              </tr>
            );
          });
        })}
      </tbody>
    </table>
  );
}

/** What to start from when running an execution again. */
export interface RunAgain {
  input: unknown;
  version: number | null;
  testCase: string | null;
  backend: "local" | "aws";
  /** local runs: the breakpoints it had */
  breakpoints?: string[];
}

export function RunDialog({ workflowId, onClose, again }: { workflowId: number; onClose: () => void; again?: RunAgain }) {
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [cases, setCases] = useState<TestCase[]>([]);
  const [connections, setConnections] = useState<AwsConnection[]>([]);
  const [version, setVersion] = useState<string>("");
  const [input, setInput] = useState("{}");
  const [samples, setSamples] = useState<SampleInput[]>([]);
  const [sample, setSample] = useState<SampleInput | null>(null);
  const [target, setTarget] = useState<"local" | "aws">("local");
  const [testCase, setTestCase] = useState("");
  const [newCaseName, setNewCaseName] = useState("");
  const [table, setTable] = useState<MockTable>({});
  const [tableDirty, setTableDirty] = useState(false);
  const [connection, setConnection] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [definitionText, setDefinitionText] = useState<string>("");
  const [breakpoints, setBreakpoints] = useState<string[]>([]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const wf = await api.workflow(workflowId);
        const [vs, tcs, conns, saved] = await Promise.all([
          api.versions(workflowId).then(results),
          runsApi.testCases(workflowId).catch(() => [] as TestCase[]),
          runsApi.connections(wf.team).then((c) => (Array.isArray(c) ? c : c.results)).catch(() => [] as AwsConnection[]),
          runsApi.sampleInputs(workflowId).catch(() => [] as SampleInput[]),
        ]);
        if (cancelled) return;
        setWorkflow(wf);
        setVersions(vs);
        setCases(tcs);
        setConnections(conns);
        setSamples(saved);
        const latest = vs.reduce<Version | null>((a, v) => (!a || v.number > a.number ? v : a), null);
        setVersion(again?.version ? String(again.version) : latest ? String(latest.number) : DRAFT);
        const againCase = again?.testCase ? tcs.find((c) => c.name === again.testCase) : undefined;
        if (again && again.backend === "local" && !again.testCase) {
          setTestCase("");
        } else if (againCase || tcs.length) {
          const tc = againCase ?? tcs[0];
          setTestCase(tc.name);
          setTable(toTable(tc));
        } else {
          setTestCase(NEW_CASE);
          setNewCaseName("default");
        }
        if (conns.length) setConnection(String(conns[0].id));
        const last = newest(saved);
        if (again) setInput(pretty(again.input ?? {}));
        else if (last) {
          setInput(pretty(last.input));
          setSample(last);
        }
        if (again?.backend === "aws" && conns.length) setTarget("aws");
        if (again?.breakpoints) setBreakpoints(again.breakpoints);
      } catch (e) {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [workflowId]);

  // the definition that will run: the chosen version's, or the draft's
  useEffect(() => {
    if (!workflow || !version) return;
    if (version === DRAFT) {
      setDefinitionText(workflow.draft.definition);
      return;
    }
    const v = versions.find((x) => String(x.number) === version);
    if (v?.definition) setDefinitionText(v.definition);
    else void api.version(workflowId, Number(version)).then((full) => setDefinitionText(full.definition)).catch(() => undefined);
  }, [workflow, version, versions, workflowId]);

  const tasks = useMemo(() => {
    const p = parseText(definitionText);
    return p.ok ? taskStates(p.value) : [];
  }, [definitionText]);
  const stateNames = useMemo(() => {
    const p = parseText(definitionText);
    return p.ok ? allStateNames(p.value) : [];
  }, [definitionText]);

  const latest = versions.reduce((a, v) => Math.max(a, v.number), 0);
  const draftChanged = !!workflow && !!latest && versions.find((v) => v.number === latest)?.definition !== undefined && versions.find((v) => v.number === latest)?.definition !== workflow.draft.definition;
  const inputError = jsonError(input);
  const tableError = Object.values(table).some((rows) => rows.some((r) => r.kind === "Return" && jsonError(r.value || "null")));
  const caseName = testCase === NEW_CASE ? newCaseName.trim() : testCase;
  const canStart =
    !!workflow && !busy && !inputError && !(target === "local" && tableError) && !(target === "aws" && !connection) && !(target === "local" && testCase === NEW_CASE && !/^[A-Za-z0-9_.-]{1,80}$/.test(caseName));

  const pickCase = (name: string) => {
    setTestCase(name);
    setTableDirty(false);
    if (name === NEW_CASE) {
      setNewCaseName((n) => n || "default");
      setTable({});
    } else setTable(toTable(cases.find((c) => c.name === name)));
  };

  const saveSample = async () => {
    const label = prompt("Name this sample input (the team sees it)", sample?.name ?? (samples.length ? `sample ${samples.length + 1}` : "sample"));
    if (!label) return;
    try {
      const saved = await runsApi.saveSampleInput(workflowId, label, JSON.parse(input));
      setSamples((all) => [...all.filter((s) => s.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
      setSample(saved);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const loadSample = (name: string) => {
    const found = samples.find((s) => s.name === name);
    if (!found) return;
    setInput(pretty(found.input));
    setSample(found);
  };

  const deleteSample = async () => {
    if (!sample || !confirm(`Delete the sample input "${sample.name}" for everyone in the team?`)) return;
    try {
      await runsApi.deleteSampleInput(workflowId, sample.id);
      setSamples((all) => all.filter((s) => s.id !== sample.id));
      setSample(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const start = async () => {
    if (!workflow) return;
    setBusy(true);
    setError(null);
    try {
      let number = version === DRAFT ? null : Number(version);
      if (number === null) {
        const v = await api.saveVersion(workflowId, "Saved to run it");
        number = v.number;
      }
      let tcName: string | undefined;
      if (target === "local" && testCase) {
        const responses = fromTable(table);
        if (testCase === NEW_CASE) {
          if (Object.keys(responses).length) {
            await runsApi.createTestCase(workflowId, { name: caseName, responses });
            tcName = caseName;
          }
        } else {
          const tc = cases.find((c) => c.name === testCase);
          if (tc && tableDirty) await runsApi.updateTestCase(workflowId, tc.id, { name: tc.name, responses });
          tcName = testCase;
        }
      }
      const execution = await runsApi.start(workflowId, {
        input: JSON.parse(input),
        version: number,
        name: name.trim() || undefined,
        backend: target,
        test_case: target === "local" ? tcName : undefined,
        connection: target === "aws" ? Number(connection) : undefined,
        breakpoints: target === "local" && breakpoints.length ? breakpoints.filter((b) => stateNames.includes(b)) : undefined,
      });
      onClose();
      navigate(`/executions/${execution.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <form className="modal run-dialog" role="dialog" aria-label="Run" onClick={(e) => e.stopPropagation()} onSubmit={(e) => (e.preventDefault(), void start())}>
        <header>
          <h2>Run {workflow?.name ?? "…"}</h2>
          <button type="button" onClick={onClose} aria-label="Close">✕</button>
        </header>
        {!workflow && !error && <p className="hint">Loading…</p>}
        {workflow && (
          <>
            <div className="run-grid">
              <label>
                Version
                <select aria-label="Version" value={version} onChange={(e) => setVersion(e.target.value)}>
                  {[...versions].sort((a, b) => b.number - a.number).map((v) => (
                    <option key={v.number} value={String(v.number)}>
                      Version {v.number}{v.message ? ` — ${v.message}` : ""}{v.validation_status === "invalid" ? " (invalid)" : ""}
                    </option>
                  ))}
                  <option value={DRAFT}>The current draft (saved as a new version)</option>
                </select>
                {version !== DRAFT && draftChanged && <span className="help">The draft has changes that are not in a version.</span>}
              </label>
              <label>
                Execution name
                <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Generated when empty" pattern="[A-Za-z0-9_\-]{1,80}" />
              </label>
            </div>
            <div className="run-input-head">
              <strong>Input</strong>
              {samples.length > 0 && (
                <select aria-label="Sample inputs" value={sample?.name ?? ""} onChange={(e) => loadSample(e.target.value)}>
                  <option value="">Load a sample…</option>
                  {samples.map((s) => (
                    <option key={s.id} value={s.name} title={s.updated_by ? `saved by ${s.updated_by}` : undefined}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
              <button type="button" onClick={() => void saveSample()} disabled={!!inputError}>Save as sample</button>
              {sample && (
                <button type="button" className="link" onClick={() => void deleteSample()}>
                  Delete sample
                </button>
              )}
            </div>
            <JsonEditor value={input} onChange={setInput} label="Execution input" />
            {inputError ? <p className="field-error" role="alert">Input is not JSON: {inputError}</p> : <p className="help">JSON, as the execution's $ at the start.</p>}

            <fieldset className="run-target">
              <legend>Run on</legend>
              <label className="radio">
                <input type="radio" name="target" checked={target === "local"} onChange={() => setTarget("local")} /> Locally, on Stepwright's workers
              </label>
              <label className="radio">
                <input type="radio" name="target" checked={target === "aws"} onChange={() => setTarget("aws")} disabled={!connections.length} /> On AWS
                {!connections.length && <span className="help"> (the team has no AWS connection)</span>}
              </label>
            </fieldset>

            {target === "local" && (
              <div className="run-local">
                <div className="run-grid">
                  <label>
                    Test case
                    <select aria-label="Test case" value={testCase} onChange={(e) => pickCase(e.target.value)}>
                      <option value="">None: local handlers and callbacks</option>
                      {cases.map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
                      <option value={NEW_CASE}>New test case…</option>
                    </select>
                  </label>
                  {testCase === NEW_CASE && (
                    <label>
                      Test case name
                      <input value={newCaseName} onChange={(e) => setNewCaseName(e.target.value)} pattern="[A-Za-z0-9_.\-]{1,80}" />
                    </label>
                  )}
                </div>
                {testCase && (
                  <>
                    <p className="help">Mocked responses per Task state, one per attempt: retries take the next one.{tableDirty && testCase !== NEW_CASE ? " Changes are saved to the test case when the run starts." : ""}</p>
                    <MockTableEditor states={tasks} table={table} onChange={(t) => (setTable(t), setTableDirty(true))} />
                  </>
                )}
                <BreakpointPicker states={stateNames} value={breakpoints} onChange={setBreakpoints} />
              </div>
            )}
            {target === "aws" && (
              <label>
                AWS connection
                <select aria-label="AWS connection" value={connection} onChange={(e) => setConnection(e.target.value)}>
                  {connections.map((c) => <option key={c.id} value={String(c.id)}>{c.name} ({c.region})</option>)}
                </select>
                <span className="help">The workflow must be deployed to this connection first.</span>
              </label>
            )}
          </>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={!canStart}>{busy ? "Starting…" : "Start"}</button>
        </div>
      </form>
    </div>
  );
}
