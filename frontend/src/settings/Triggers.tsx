/** The designer's Triggers panel: schedules, the webhook and event rules of one workflow. Editors manage them; others see them. */
import { useCallback, useEffect, useState } from "react";
import { api, ApiError, results, type Workflow } from "../api/client";
import { settingsApi, type EndStatus, type EventRule, type Schedule, type Webhook, type WebhookSecret } from "../api/settings";
import { CopyField } from "./CopyField";
import { END_STATUSES, endingsText, fieldErrors, formatDueTime, formError, parseInput, scheduleSummary, timeZones, untilText } from "./format";
import "./settings.css";

const message = (e: unknown) => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

/** The header button and its dialog. */
export function TriggersButton({ workflow, canEdit }: { workflow: Workflow | null; canEdit: boolean }) {
  const [open, setOpen] = useState(false);
  if (!workflow) return null;
  return (
    <>
      <button className="link" onClick={() => setOpen(true)} title="Schedules, webhook and event rules that start this workflow">Triggers</button>
      {open && <TriggersDialog workflow={workflow} canEdit={canEdit} onClose={() => setOpen(false)} />}
    </>
  );
}

export function TriggersDialog({ workflow, canEdit, onClose }: { workflow: Workflow; canEdit: boolean; onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal triggers-dialog" role="dialog" aria-label="Triggers" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Triggers of {workflow.name}</h2>
          <button type="button" onClick={onClose} aria-label="Close">✕</button>
        </header>
        <p className="hint" style={{ margin: 0 }}>
          Each trigger starts the workflow's latest saved version as a local execution.{!canEdit && " Only editors change them."}
        </p>
        <Schedules workflow={workflow.id} canEdit={canEdit} />
        <WebhookSection workflow={workflow.id} canEdit={canEdit} />
        <EventRules workflow={workflow} canEdit={canEdit} />
      </div>
    </div>
  );
}

// --- schedules -----------------------------------------------------------------------------------

const SCHEDULE_FIELDS = ["/name", "/expression", "/timezone", "/input", "/enabled"];

function Schedules({ workflow, canEdit }: { workflow: number; canEdit: boolean }) {
  const [items, setItems] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Schedule | "new" | null>(null);
  const reload = useCallback(() => {
    settingsApi.schedules(workflow).then(setItems, (e) => setError(message(e)));
  }, [workflow]);
  useEffect(reload, [reload]);

  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(reload, (e) => setError(message(e)));
  };

  return (
    <section aria-labelledby="schedules-heading">
      <h3 id="schedules-heading">
        Schedules
        <span className="spacer" />
        {canEdit && editing === null && <button onClick={() => setEditing("new")}>Add schedule</button>}
      </h3>
      {error && <p className="error" role="alert">{error}</p>}
      {editing !== null && <ScheduleForm workflow={workflow} schedule={editing === "new" ? null : editing} onDone={(saved) => (setEditing(null), saved && reload())} />}
      {items && items.length === 0 && editing === null && <p className="hint">No schedules. A schedule starts the workflow on a cron or rate expression.</p>}
      {items?.map((s) => (
        <article key={s.id} className={`schedule-card${s.enabled ? "" : " off"}`} aria-label={`Schedule ${s.name}`}>
          <div>
            <strong>{s.name}</strong> <span className="mono">{s.expression}</span> <span className="meta">in {s.timezone}</span>{" "}
            <span className={`status ${s.enabled ? "status-valid" : "status-unknown"}`}>{scheduleSummary(s)}</span>
            {s.enabled && s.next_times.length > 0 ? (
              <>
                <div className="meta" style={{ marginTop: 4 }}>Next {s.next_times.length} due times:</div>
                <ol className="next-times" aria-label={`Next due times of ${s.name}`}>
                  {s.next_times.map((t) => (
                    <li key={t}>{formatDueTime(t, s.timezone)} <span className="meta">· {untilText(t)}</span></li>
                  ))}
                </ol>
              </>
            ) : (
              <div className="meta" style={{ marginTop: 4 }}>{s.enabled ? "No further due times." : "Off: no due times."}</div>
            )}
            <div className="meta" style={{ marginTop: 4 }}>
              {s.last_started_at ? `Last started ${new Date(s.last_started_at).toLocaleString()}` : "Not started yet"}
            </div>
            {s.missed_count > 0 && (
              <div className="missed">
                {s.missed_count} due time{s.missed_count === 1 ? "" : "s"} missed{s.last_missed_at && `, last ${new Date(s.last_missed_at).toLocaleString()}`}
              </div>
            )}
            {s.recent.some((f) => f.outcome !== "started") && (
              <ul className="next-times">
                {s.recent.filter((f) => f.outcome !== "started").slice(0, 3).map((f) => (
                  <li key={`${f.due_at}-${f.outcome}`} className={f.outcome === "failed" ? "error" : "missed"}>{f.outcome}: {f.message}</li>
                ))}
              </ul>
            )}
          </div>
          {canEdit && (
            <div className="schedule-actions">
              <label className="check">
                <input type="checkbox" checked={s.enabled} onChange={(e) => {
                  const enabled = e.target.checked;
                  setItems((list) => list?.map((x) => (x.id === s.id ? { ...x, enabled } : x)) ?? null);
                  act(settingsApi.updateSchedule(workflow, s.id, { enabled }));
                }} aria-label={`${s.name} on`} /> On
              </label>
              <button className="link" onClick={() => setEditing(s)}>Edit</button>
              <button className="link" onClick={() => confirm(`Delete the schedule ${s.name}?`) && act(settingsApi.deleteSchedule(workflow, s.id))} aria-label={`Delete ${s.name}`}>Delete</button>
            </div>
          )}
        </article>
      ))}
    </section>
  );
}

function ScheduleForm({ workflow, schedule, onDone }: { workflow: number; schedule: Schedule | null; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    name: schedule?.name ?? "",
    expression: schedule?.expression ?? "rate(1 hour)",
    timezone: schedule?.timezone ?? "UTC",
    input: schedule ? JSON.stringify(schedule.input, null, 2) : "{}",
    enabled: schedule?.enabled ?? true,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [zones] = useState(timeZones);
  const set = (k: "name" | "expression" | "timezone" | "input") => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async () => {
    setErrors({});
    setError(null);
    const input = parseInput(form.input);
    if ("error" in input) return setErrors({ "/input": input.error });
    setSaving(true);
    try {
      const body = { name: form.name.trim(), expression: form.expression.trim(), timezone: form.timezone.trim() || "UTC", input: input.value, enabled: form.enabled };
      if (schedule) await settingsApi.updateSchedule(workflow, schedule.id, body);
      else await settingsApi.createSchedule(workflow, body);
      onDone(true);
    } catch (e) {
      setErrors(fieldErrors(e));
      setError(formError(e, SCHEDULE_FIELDS));
    } finally {
      setSaving(false);
    }
  };
  const err = (p: string) => errors[p] && <span className="field-error" role="alert">{errors[p]}</span>;

  return (
    <form className="settings-form" aria-label={schedule ? `Edit schedule ${schedule.name}` : "New schedule"} onSubmit={(e) => (e.preventDefault(), void submit())}>
      {error && <p className="error wide" role="alert">{error}</p>}
      <label>Name <input name="schedule-name" value={form.name} onChange={set("name")} required maxLength={64} placeholder="nightly" />{err("/name")}
        <span className="help">Letters, digits, . _ -</span>
      </label>
      <label>Expression <input name="schedule-expression" className="mono" value={form.expression} onChange={set("expression")} required placeholder="cron(0 2 * * ? *)" />{err("/expression")}
        <span className="help">rate(5 minutes) or cron(min hour day month weekday year)</span>
      </label>
      <label>Time zone <input name="schedule-timezone" value={form.timezone} onChange={set("timezone")} list="schedule-time-zones" placeholder="UTC" />{err("/timezone")}
        <datalist id="schedule-time-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
        <span className="help">Cron times are read in this zone.</span>
      </label>
      <label className="wide">Input <textarea name="schedule-input" rows={3} value={form.input} onChange={set("input")} spellCheck={false} />{err("/input")}
        <span className="help">The JSON each execution starts with.</span>
      </label>
      <label className="check"><input type="checkbox" checked={form.enabled} onChange={(e) => setForm((f) => ({ ...f, enabled: e.target.checked }))} /> On</label>
      {err("/enabled")}
      <div className="actions">
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
        <button type="submit" className="primary" disabled={saving}>{saving ? "Saving…" : schedule ? "Save schedule" : "Create schedule"}</button>
      </div>
    </form>
  );
}

// --- webhook -------------------------------------------------------------------------------------

function WebhookSection({ workflow, canEdit }: { workflow: number; canEdit: boolean }) {
  const [hook, setHook] = useState<Webhook | null | undefined>(undefined);
  const [secret, setSecret] = useState<WebhookSecret | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    settingsApi.webhook(workflow).then(setHook, (e) => (e instanceof ApiError && e.status === 404 ? setHook(null) : setError(message(e))));
  }, [workflow]);
  useEffect(reload, [reload]);

  const issue = (p: Promise<WebhookSecret>) => {
    setError(null);
    p.then((s) => (setSecret(s), setHook(s)), (e) => setError(message(e)));
  };
  const remove = () => {
    if (!confirm("Delete the webhook? Its URL stops working at once.")) return;
    setError(null);
    settingsApi.deleteWebhook(workflow).then(() => (setSecret(null), setHook(null)), (e) => setError(message(e)));
  };

  return (
    <section aria-labelledby="webhook-heading">
      <h3 id="webhook-heading">Webhook</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {hook === null && (
        <p className="hint">
          No webhook. A webhook is a secret URL: a POST of JSON to it starts the workflow with that input.{" "}
          {canEdit && <button onClick={() => issue(settingsApi.createWebhook(workflow))}>Create webhook</button>}
        </p>
      )}
      {hook && (
        <div className="schedule-card">
          <div>
            <strong>POST</strong> <span className="mono">/api/hooks/{hook.prefix}…/</span>
            <div className="meta">
              Created {new Date(hook.created_at).toLocaleString()}
              {hook.rotated_at && ` · rotated ${new Date(hook.rotated_at).toLocaleString()}`}
              {` · ${hook.last_called_at ? `last called ${new Date(hook.last_called_at).toLocaleString()}` : "never called"}`}
            </div>
          </div>
          {canEdit && (
            <div className="schedule-actions">
              <button onClick={() => confirm("Rotate the token? The current URL stops working at once.") && issue(settingsApi.rotateWebhook(workflow))}>Rotate</button>
              <button className="link" onClick={remove}>Delete</button>
            </div>
          )}
        </div>
      )}
      {secret && (
        <div className="secret-once" role="status" aria-label="Webhook URL">
          <strong>Copy the URL now: its token is shown this once.</strong>
          <CopyField label="Webhook URL" value={secret.url} />
          <CopyField label="curl command" value={`curl -X POST -H 'Content-Type: application/json' -H 'Idempotency-Key: 1' -d '{}' ${secret.url}`} />
          <div className="row" style={{ marginTop: 0 }}><button type="button" onClick={() => setSecret(null)}>Done, I have copied it</button></div>
        </div>
      )}
    </section>
  );
}

// --- event rules ---------------------------------------------------------------------------------

function EventRules({ workflow, canEdit }: { workflow: Workflow; canEdit: boolean }) {
  const [items, setItems] = useState<EventRule[] | null>(null);
  const [sources, setSources] = useState<Workflow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [source, setSource] = useState("");
  const [statuses, setStatuses] = useState<EndStatus[]>(["FAILED"]);
  const reload = useCallback(() => {
    settingsApi.eventRules(workflow.id).then(setItems, (e) => setError(message(e)));
  }, [workflow.id]);
  useEffect(reload, [reload]);
  useEffect(() => {
    if (canEdit) api.workflows({}).then((p) => setSources(results(p)), () => setSources([]));
  }, [canEdit]);

  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(reload, (e) => setError(message(e)));
  };
  const add = async () => {
    setError(null);
    setErrors({});
    try {
      await settingsApi.createEventRule(workflow.id, { source: Number(source), statuses, enabled: true });
      setSource("");
      reload();
    } catch (e) {
      setErrors(fieldErrors(e));
      setError(formError(e, ["/source", "/statuses"]));
    }
  };
  const toggle = (list: EndStatus[], s: EndStatus, on: boolean) => (on ? [...list.filter((x) => x !== s), s] : list.filter((x) => x !== s));

  return (
    <section aria-labelledby="event-rules-heading">
      <h3 id="event-rules-heading">Event rules</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {items && items.length === 0 && <p className="hint">No event rules. A rule starts this workflow when another one ends.</p>}
      {items && items.length > 0 && (
        <table className="workflow-table" aria-label="Event rules">
          <thead><tr><th>When</th><th>Ends</th><th>On</th><th /></tr></thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} style={{ cursor: "default" }}>
                <td><strong>{r.source_name}</strong>{r.source === workflow.id && <span className="meta"> (this workflow)</span>}</td>
                <td>
                  {canEdit ? (
                    <span className="event-endings">
                      {END_STATUSES.map(([s, w]) => (
                        <label key={s}>
                          <input type="checkbox" checked={r.statuses.includes(s)} disabled={r.statuses.length === 1 && r.statuses.includes(s)}
                            onChange={(e) => act(settingsApi.updateEventRule(workflow.id, r.id, { statuses: toggle(r.statuses, s, e.target.checked) }))} /> {w}
                        </label>
                      ))}
                    </span>
                  ) : endingsText(r.statuses)}
                </td>
                <td>
                  {canEdit ? (
                    <input type="checkbox" style={{ width: "auto" }} checked={r.enabled} aria-label={`Rule from ${r.source_name} on`} onChange={(e) => {
                      const enabled = e.target.checked;
                      setItems((list) => list?.map((x) => (x.id === r.id ? { ...x, enabled } : x)) ?? null);
                      act(settingsApi.updateEventRule(workflow.id, r.id, { enabled }));
                    }} />
                  ) : r.enabled ? "on" : "off"}
                </td>
                <td>{canEdit && <button className="link" onClick={() => confirm(`Delete the rule from ${r.source_name}?`) && act(settingsApi.deleteEventRule(workflow.id, r.id))}>Delete</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form className="settings-form" aria-label="New event rule" onSubmit={(e) => (e.preventDefault(), void add())}>
          <label>When this workflow ends
            <select name="event-source" value={source} onChange={(e) => setSource(e.target.value)} required>
              <option value="" disabled>Choose a workflow…</option>
              {sources.map((w) => <option key={w.id} value={w.id}>{w.name}{w.id === workflow.id ? " (this one)" : ""}</option>)}
            </select>
            {errors["/source"] && <span className="field-error">{errors["/source"]}</span>}
          </label>
          <fieldset style={{ gridColumn: "auto" }}>
            <legend>…and has</legend>
            {END_STATUSES.map(([s, w]) => (
              <label key={s} className="radio">
                <input type="checkbox" checked={statuses.includes(s)} onChange={(e) => setStatuses(toggle(statuses, s, e.target.checked))} /> {w}
              </label>
            ))}
          </fieldset>
          {errors["/statuses"] && <span className="field-error">{errors["/statuses"]}</span>}
          <div className="actions">
            <button type="submit" className="primary" disabled={!source || statuses.length === 0}>Add event rule</button>
          </div>
        </form>
      )}
    </section>
  );
}
