/** Team settings: access keys of the Step Functions endpoint. A new key's secret is shown once. */
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { settingsApi, type AccessKey, type NewAccessKey } from "../api/settings";
import { CopyField } from "./CopyField";
import { cliLine, sfnEndpoint } from "./format";
import "./settings.css";

export function AccessKeys({ team }: { team: number }) {
  const [items, setItems] = useState<AccessKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [creating, setCreating] = useState(false);
  const [fresh, setFresh] = useState<NewAccessKey | null>(null);
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : String(e));

  const reload = useCallback(() => {
    settingsApi.accessKeys(team).then(setItems, fail);
  }, [team]);
  useEffect(reload, [reload]);

  const create = async () => {
    setCreating(true);
    setError(null);
    try {
      setFresh(await settingsApi.createAccessKey(team, name.trim()));
      setName("");
      reload();
    } catch (e) {
      fail(e);
    } finally {
      setCreating(false);
    }
  };
  const revoke = (k: AccessKey) => {
    if (!confirm(`Revoke ${k.access_key_id}${k.name ? ` (${k.name})` : ""}? Clients using it stop working at once.`)) return;
    setError(null);
    settingsApi.revokeAccessKey(team, k.id).then(() => (fresh?.id === k.id && setFresh(null), reload()), fail);
  };
  const endpoint = fresh?.endpoint || sfnEndpoint(location.origin);

  return (
    <section className="settings-section" aria-labelledby="access-keys-heading">
      <div className="section-head">
        <h2 id="access-keys-heading">Step Functions API access keys</h2>
      </div>
      <p className="hint">
        Point the AWS CLI or an SDK at <span className="mono">{sfnEndpoint(location.origin)}</span> with one of these keys; it acts as the user who created it, in this team.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void create())}>
        <label>Key name <input name="access-key-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. CI pipeline" /></label>
        <button type="submit" className="primary" disabled={creating}>{creating ? "Creating…" : "Create access key"}</button>
      </form>
      {fresh && (
        <div className="secret-once" role="status" aria-label="New access key">
          <strong>Copy the secret now: it is shown this once.</strong>
          <dl>
            <dt>Access key ID</dt><dd><CopyField label="Access key ID" value={fresh.access_key_id} /></dd>
            <dt>Secret access key</dt><dd><CopyField label="Secret access key" value={fresh.secret_access_key} /></dd>
            <dt>Endpoint URL</dt><dd><CopyField label="Endpoint URL" value={endpoint} /></dd>
            <dt>Try it</dt><dd><CopyField label="AWS CLI command" value={cliLine(endpoint, fresh.access_key_id, fresh.secret_access_key)} /></dd>
          </dl>
          <div className="row" style={{ marginTop: 0 }}><button type="button" onClick={() => setFresh(null)}>Done, I have copied it</button></div>
        </div>
      )}
      {items && items.length === 0 && <p className="hint">No access keys yet.</p>}
      {items && items.length > 0 && (
        <table className="workflow-table" aria-label="Access keys">
          <thead><tr><th>Access key ID</th><th>Name</th><th>User</th><th>Created</th><th>Last used</th><th /></tr></thead>
          <tbody>
            {items.map((k) => (
              <tr key={k.id}>
                <td className="mono">{k.access_key_id}</td>
                <td>{k.name || <span className="meta">—</span>}</td>
                <td>{k.user}</td>
                <td className="meta">{new Date(k.created_at).toLocaleString()}</td>
                <td className="meta">{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : "never"}</td>
                <td><button className="link" onClick={() => revoke(k)} aria-label={`Revoke ${k.access_key_id}`}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
