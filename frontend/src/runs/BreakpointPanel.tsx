/** Breakpoints of local runs: picked in the run dialog, toggled on the execution graph (a red dot), and the
 * "Paused before <State>" panel with the state's input to edit, Step and Continue. */
import { createContext, useContext, useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/client";
import { runsApi, type ExecutionDetail, type Paused } from "../api/runs";
import { JsonEditor, jsonError } from "./JsonEditor";
import { allPausedTitle, pausedTitle, toggled } from "./breakpoints";
import "./breakpoints.css";

export interface BreakpointState {
  breakpoints: ReadonlySet<string>;
  paused: ReadonlySet<string>;
  /** absent when they cannot change (a finished or AWS run) */
  toggle?: (name: string) => void;
}

const NONE: BreakpointState = { breakpoints: new Set(), paused: new Set() };
export const BreakpointContext = createContext<BreakpointState>(NONE);

const message = (e: unknown) => (e instanceof ApiError || e instanceof Error ? e.message : String(e));

/** The execution's breakpoints, changed at once on screen and then on the server (a failure puts them back). */
export function useBreakpoints(execution: ExecutionDetail | null, onError: (text: string) => void): BreakpointState {
  const [local, setLocal] = useState<string[] | null>(null);
  const serverKey = (execution?.breakpoints ?? []).join("\n");
  useEffect(() => setLocal(null), [execution?.id, serverKey]);
  const editable = !!execution && execution.backend === "local" && execution.status === "RUNNING";
  return useMemo(() => {
    if (!execution) return NONE;
    const current = local ?? execution.breakpoints ?? [];
    const toggle = editable
      ? (name: string) => {
          const next = toggled(current, name);
          setLocal(next);
          runsApi.setBreakpoints(execution.id, next).then(
            (r) => setLocal(r.breakpoints),
            (e: unknown) => (setLocal(null), onError(message(e))),
          );
        }
      : undefined;
    return { breakpoints: new Set(current), paused: new Set((execution.paused ?? []).map((p) => p.state)), toggle };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [execution, local, editable]);
}

/** The red dot on a graph node: toggles the breakpoint; the paused state also gets a "Paused" badge. */
export function BreakpointDot({ name }: { name: string }) {
  const { breakpoints, paused, toggle } = useContext(BreakpointContext);
  const on = breakpoints.has(name);
  if (!toggle && !on && !paused.has(name)) return null;
  return (
    <>
      {paused.has(name) && (
        <span className="bp-paused" data-testid={`paused-${name}`} aria-label={`Paused before ${name}`}>
          <span className="bp-icon" aria-hidden /> Paused
        </span>
      )}
      <button
        type="button"
        className={`bp-dot nodrag nopan${on ? " on" : ""}`}
        data-testid={`breakpoint-${name}`}
        aria-pressed={on}
        aria-label={`${on ? "Remove the breakpoint on" : "Set a breakpoint on"} ${name}`}
        title={toggle ? (on ? "Breakpoint: the run pauses before this state (click to remove)" : "Set a breakpoint") : "Breakpoint"}
        disabled={!toggle}
        onClick={(e) => {
          e.stopPropagation();
          toggle?.(name);
        }}
      />
    </>
  );
}

/** The run dialog's breakpoints: a chip per state, red when the run pauses before it. */
export function BreakpointPicker({ states, value, onChange }: { states: string[]; value: string[]; onChange: (v: string[]) => void }) {
  if (!states.length) return null;
  return (
    <fieldset className="bp-picker">
      <legend>Breakpoints</legend>
      <p className="help">The run pauses before these states: inspect and edit the input, then step or continue.</p>
      <div className="bp-chips">
        {states.map((s) => {
          const on = value.includes(s);
          return (
            <button key={s} type="button" className={`bp-chip${on ? " on" : ""}`} aria-pressed={on} aria-label={`Breakpoint on ${s}`} onClick={() => onChange(toggled(value, s))}>
              <span className="bp-chip-dot" aria-hidden />
              {s}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}

function PausedForm({ paused, executionName, onDone }: { paused: Paused; executionName: string; onDone: () => void }) {
  const original = useMemo(() => JSON.stringify(paused.input, null, 2), [paused.input]);
  const [text, setText] = useState(original);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(original), [original]);
  const bad = jsonError(text);
  const go = async (step: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const body: { input?: unknown; step: boolean } = { step };
      if (text !== original) body.input = JSON.parse(text);
      await runsApi.continue(paused.execution, body);
      onDone();
    } catch (e) {
      setProblem(message(e));
    } finally {
      setBusy(false);
    }
  };
  const title = pausedTitle(paused, executionName);
  return (
    <section className="bp-panel" aria-label={title} data-testid="paused-panel">
      <h3>
        <span className="bp-icon" aria-hidden /> {title}
      </h3>
      <p className="help">The state has not been entered yet. Edit its input if you like, then run it.</p>
      <JsonEditor value={text} onChange={setText} label={`Input of ${paused.state}`} minHeight={90} />
      {bad && <p className="field-error" role="alert">Input is not JSON: {bad}</p>}
      <div className="row">
        <button type="button" onClick={() => void go(true)} disabled={busy || !!bad} title="Run this state, then pause before the next one">
          Step
        </button>
        <button type="button" className="primary" onClick={() => void go(false)} disabled={busy || !!bad} title="Run on to the next breakpoint">
          Continue
        </button>
        {text !== original && (
          <button type="button" className="link" onClick={() => setText(original)}>
            Undo edits
          </button>
        )}
      </div>
      {problem && <p className="error" role="alert">{problem}</p>}
    </section>
  );
}

/** the paused iterations shown each with its editor; a Map of thousands pauses thousands */
const PAUSED_FORMS = 20;

/** Several iterations or branches paused at once: go on with all of them in one request. */
function AllPaused({ execution, paused, onDone }: { execution: ExecutionDetail; paused: Paused[]; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const go = async (step: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      await runsApi.continueAll(execution.id, step);
      onDone();
    } catch (e) {
      setProblem(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="bp-panel bp-all" aria-label="All paused" data-testid="paused-all">
      <h3>
        <span className="bp-icon" aria-hidden /> {allPausedTitle(paused)}
      </h3>
      <div className="row">
        <button type="button" onClick={() => void go(true)} disabled={busy} title="Each runs its state, then pauses before its next one (inputs as they were)">
          Step all
        </button>
        <button type="button" className="primary" onClick={() => void go(false)} disabled={busy} title="Each runs on to its next breakpoint (inputs as they were)">
          Continue all
        </button>
      </div>
      {problem && <p className="error" role="alert">{problem}</p>}
    </section>
  );
}

/** Every place the run waits at a breakpoint (several Map iterations may), each with Step and Continue, and
 * Step all / Continue all when there are several. */
export function PausedPanel({ execution, onDone }: { execution: ExecutionDetail; onDone: () => void }) {
  const paused = execution.status === "RUNNING" ? (execution.paused ?? []) : [];
  if (!paused.length) return null;
  const more = paused.length - PAUSED_FORMS;
  return (
    <div className="bp-paused-list">
      {paused.length > 1 && <AllPaused execution={execution} paused={paused} onDone={onDone} />}
      {paused.slice(0, PAUSED_FORMS).map((p) => (
        <PausedForm key={`${p.execution}:${p.state}`} paused={p} executionName={execution.name} onDone={onDone} />
      ))}
      {more > 0 && <p className="hint bp-more">and {more} more paused: Continue all takes them all on, or open an iteration from the Map's panel</p>}
    </div>
  );
}
