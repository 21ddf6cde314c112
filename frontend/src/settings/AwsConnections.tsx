/** Team settings: the team's AWS connections. Owners add, change, test and delete them; editors see them and may test. */
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { settingsApi, type AuthMode, type AwsConnection, type ConnectionTest } from "../api/settings";
import { connectionBody, fieldErrors, formError } from "./format";
import "./settings.css";

const MODES: Array<[AuthMode, string]> = [
  ["default", "Default credential chain"],
  ["assume_role", "Assume a role"],
  ["access_key", "Access key pair"],
];
const MODE_TEXT: Record<AuthMode, string> = { default: "default chain", assume_role: "assume role", access_key: "access key" };
const EMPTY = { name: "", region: "us-east-1", auth_mode: "default" as AuthMode, role_arn: "", external_id: "", access_key_id: "", secret_access_key: "", endpoint_url: "" };
const SHOWN = ["/name", "/region", "/auth_mode", "/role_arn", "/external_id", "/access_key_id", "/secret_access_key", "/endpoint_url"];

type TestState = { running: true } | { ok: ConnectionTest } | { error: string };

export function AwsConnections({ team, role }: { team: number; role: string | null }) {
  const owner = role === "owner";
  const canTest = role === "owner" || role === "editor";
  const [items, setItems] = useState<AwsConnection[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AwsConnection | "new" | null>(null);
  const [tests, setTests] = useState<Record<number, TestState>>({});
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    settingsApi.connections(team).then((c) => (setItems(c), setLoadError(null)), (e) => setLoadError(e instanceof ApiError ? e.message : String(e)));
  }, [team]);
  useEffect(reload, [reload]);

  const test = (c: AwsConnection) => {
    setTests((t) => ({ ...t, [c.id]: { running: true } }));
    settingsApi.testConnection(team, c.id).then(
      (ok) => (setTests((t) => ({ ...t, [c.id]: { ok } })), reload()),
      (e) => setTests((t) => ({ ...t, [c.id]: { error: e instanceof ApiError ? e.message : String(e) } })),
    );
  };
  const remove = (c: AwsConnection) => {
    if (!confirm(`Delete the AWS connection ${c.name}? Deploys through it stop working.`)) return;
    setError(null);
    settingsApi.deleteConnection(team, c.id).then(reload, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  };

  return (
    <section className="settings-section" aria-labelledby="aws-connections-heading">
      <div className="section-head">
        <h2 id="aws-connections-heading">AWS connections</h2>
        <span className="spacer" />
        {owner && editing === null && <button onClick={() => setEditing("new")}>Add connection</button>}
      </div>
      <p className="hint">How Stepwright reaches your AWS accounts to deploy and run state machines.{!owner && " Only owners add or change them."}</p>
      {loadError && <p className="error" role="alert">{loadError}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {editing !== null && (
        <ConnectionForm
          team={team}
          connection={editing === "new" ? null : editing}
          onDone={(saved) => (setEditing(null), saved && reload())}
        />
      )}
      {items && items.length === 0 && editing === null && <p className="hint">No connections yet.</p>}
      {items && items.length > 0 && (
        <table className="workflow-table" aria-label="AWS connections">
          <thead><tr><th>Name</th><th>Region</th><th>Credentials</th><th>Account</th><th /></tr></thead>
          <tbody>
            {items.map((c) => {
              const t = tests[c.id];
              return (
                <tr key={c.id}>
                  <td><strong>{c.name}</strong>{c.endpoint_url && <div className="meta mono">{c.endpoint_url}</div>}</td>
                  <td>{c.region}</td>
                  <td>
                    {MODE_TEXT[c.auth_mode] ?? c.auth_mode}
                    {c.auth_mode === "assume_role" && c.role_arn && <div className="meta mono">{c.role_arn}{c.has_external_id && " · external id set"}</div>}
                    {c.auth_mode === "access_key" && <div className="meta mono">{c.has_access_key ? `key …${c.access_key_hint}` : "no key stored"}</div>}
                  </td>
                  <td>
                    {c.account_id ? <span className="mono">{c.account_id}</span> : <span className="meta">not tested</span>}
                    {c.tested_at && <div className="meta">tested {new Date(c.tested_at).toLocaleString()}</div>}
                    {t && "running" in t && <div className="test-result">Testing…</div>}
                    {t && "ok" in t && <div className="test-result ok" role="status">Reaches account {t.ok.account} as <span className="mono">{t.ok.arn}</span></div>}
                    {t && "error" in t && <div className="test-result bad" role="alert">{t.error}</div>}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    {canTest && <button onClick={() => test(c)} disabled={!!t && "running" in t} aria-label={`Test ${c.name}`}>Test</button>}
                    {owner && <button className="link" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>Edit</button>}
                    {owner && <button className="link" onClick={() => remove(c)} aria-label={`Delete ${c.name}`}>Delete</button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ConnectionForm({ team, connection, onDone }: { team: number; connection: AwsConnection | null; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState(() =>
    connection
      ? { ...EMPTY, name: connection.name, region: connection.region, auth_mode: connection.auth_mode, role_arn: connection.role_arn, endpoint_url: connection.endpoint_url }
      : EMPTY,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const keepSecret = connection?.auth_mode === "access_key" && connection.has_access_key && form.auth_mode === "access_key";

  const submit = async () => {
    setSaving(true);
    setErrors({});
    setError(null);
    try {
      const body = connectionBody(form);
      if (connection) {
        // blank secrets on edit keep the stored ones
        if (!form.external_id) delete body.external_id;
        if (keepSecret && !form.access_key_id && !form.secret_access_key) (delete body.access_key_id, delete body.secret_access_key);
        if (!form.endpoint_url.trim() && connection.endpoint_url) body.endpoint_url = "";
        await settingsApi.updateConnection(team, connection.id, body);
      } else {
        await settingsApi.createConnection(team, body as never);
      }
      onDone(true);
    } catch (e) {
      setErrors(fieldErrors(e));
      setError(formError(e, SHOWN));
    } finally {
      setSaving(false);
    }
  };
  const err = (p: string) => errors[p] && <span className="field-error">{errors[p]}</span>;

  return (
    <form className="settings-form" aria-label={connection ? `Edit ${connection.name}` : "New AWS connection"} onSubmit={(e) => (e.preventDefault(), void submit())}>
      {error && <p className="error wide" role="alert">{error}</p>}
      <label>Name <input name="connection-name" value={form.name} onChange={set("name")} required maxLength={80} placeholder="production" />{err("/name")}</label>
      <label>Region <input name="connection-region" value={form.region} onChange={set("region")} required placeholder="us-east-1" />{err("/region")}</label>
      <label>Endpoint URL
        <input name="connection-endpoint" value={form.endpoint_url} onChange={set("endpoint_url")} placeholder="optional: LocalStack, moto…" />{err("/endpoint_url")}
        <span className="help">Only for AWS-compatible endpoints; blank for AWS.</span>
      </label>
      <fieldset>
        <legend>Credentials</legend>
        {MODES.map(([m, text]) => (
          <label key={m} className="radio">
            <input type="radio" name="auth_mode" value={m} checked={form.auth_mode === m} onChange={() => setForm((f) => ({ ...f, auth_mode: m }))} /> {text}
          </label>
        ))}
      </fieldset>
      {err("/auth_mode")}
      {form.auth_mode === "default" && <p className="hint wide" style={{ margin: 0 }}>The server's own credentials: environment, instance or task role, ~/.aws.</p>}
      {form.auth_mode === "assume_role" && (
        <>
          <label>Role ARN <input name="connection-role-arn" value={form.role_arn} onChange={set("role_arn")} required placeholder="arn:aws:iam::123456789012:role/stepwright" />{err("/role_arn")}</label>
          <label>External ID
            <input name="connection-external-id" type="password" autoComplete="off" value={form.external_id} onChange={set("external_id")} />{err("/external_id")}
            <span className="help">{connection?.has_external_id ? "Set; leave blank to keep it." : "Optional."} Write-only.</span>
          </label>
        </>
      )}
      {form.auth_mode === "access_key" && (
        <>
          <label>Access key ID
            <input name="connection-access-key-id" value={form.access_key_id} onChange={set("access_key_id")} required={!keepSecret} placeholder="AKIA…" autoComplete="off" />{err("/access_key_id")}
            {keepSecret && <span className="help">…{connection?.access_key_hint} is stored; leave both blank to keep it.</span>}
          </label>
          <label>Secret access key
            <input name="connection-secret" type="password" value={form.secret_access_key} onChange={set("secret_access_key")} required={!keepSecret} autoComplete="new-password" />{err("/secret_access_key")}
            <span className="help">Write-only: stored encrypted, never shown again.</span>
          </label>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
        <button type="submit" className="primary" disabled={saving}>{saving ? "Saving…" : connection ? "Save connection" : "Add connection"}</button>
      </div>
    </form>
  );
}
