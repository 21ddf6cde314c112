/** Deploy to AWS from the designer: pick a connection and version, see the plan, confirm, see the result and past deployments. */
import { useEffect, useState } from "react";
import { api, results, type Diff, type Version } from "../api/client";
import { runsApi, type AwsConnection, type AwsStatus, type Deployment, type DeployPlan } from "../api/runs";
import { Json } from "./ExecutionPage";
import "./runs.css";

function DiffView({ diff }: { diff: Diff }) {
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return <p className="hint">The definition on AWS is the same.</p>;
  return (
    <div className="diff">
      {diff.added.length > 0 && <p className="diff-added">Added: {diff.added.join(", ")}</p>}
      {diff.removed.length > 0 && <p className="diff-removed">Removed: {diff.removed.join(", ")}</p>}
      {diff.changed.map((c) => (
        <div key={c.state} className="diff-changed">
          Changed {c.state}:
          <ul>
            {c.changes.map((x, i) => (
              <li key={i}>
                <code>{x.pointer}</code>: {JSON.stringify(x.before)} → {JSON.stringify(x.after)}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

export function DriftBadge({ status }: { status: AwsStatus | null }) {
  if (!status || !status.links.length) return null;
  const label = status.drift ? "AWS: drift" : "AWS: in sync";
  const title = status.links.map((l) => `${l.connection?.name ?? "?"} / ${l.state_machine_name}: ${l.status.replace(/_/g, " ")}${l.deployed_version ? ` (v${l.deployed_version} deployed, v${l.latest_version} latest)` : ""}`).join("\n");
  return (
    <span className={`drift-badge ${status.drift ? "drift" : "in-sync"}`} title={title} data-testid="drift-badge">
      {label}
    </span>
  );
}

export function DeployDialog({ workflowId, team, onClose, onDeployed }: { workflowId: number; team: number; onClose: () => void; onDeployed: () => void }) {
  const [connections, setConnections] = useState<AwsConnection[] | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [deployments, setDeployments] = useState<Deployment[]>([]);
  const [connection, setConnection] = useState("");
  const [version, setVersion] = useState("");
  const [createRole, setCreateRole] = useState(true);
  const [roleArn, setRoleArn] = useState("");
  const [type, setType] = useState("");
  const [plan, setPlan] = useState<DeployPlan | null>(null);
  const [result, setResult] = useState<Deployment | null>(null);
  const [busy, setBusy] = useState<"plan" | "deploy" | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadDeployments = () => runsApi.deployments(workflowId).then(setDeployments, () => undefined);
  useEffect(() => {
    void runsApi.connections(team).then((c) => {
      const list = Array.isArray(c) ? c : c.results;
      setConnections(list);
      if (list.length) setConnection(String(list[0].id));
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    void api.versions(workflowId).then(results).then((vs) => {
      setVersions(vs);
      const latest = vs.reduce((a, v) => Math.max(a, v.number), 0);
      if (latest) setVersion(String(latest));
    });
    void loadDeployments();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workflowId, team]);

  const options = () => ({
    connection: Number(connection),
    version: version ? Number(version) : undefined,
    create_role: createRole,
    role_arn: createRole ? "" : roleArn.trim(),
    type: type || undefined,
  });
  const doPlan = async () => {
    setBusy("plan");
    setError(null);
    setResult(null);
    try {
      setPlan(await runsApi.plan(workflowId, options()));
    } catch (e) {
      setPlan(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const doDeploy = async () => {
    setBusy("deploy");
    setError(null);
    try {
      const d = await runsApi.deploy(workflowId, options());
      setResult(d);
      void loadDeployments();
      onDeployed();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  // a changed choice needs a new plan
  useEffect(() => setPlan(null), [connection, version, createRole, roleArn, type]);

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal deploy-dialog" role="dialog" aria-label="Deploy to AWS" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Deploy to AWS</h2>
          <button type="button" onClick={onClose} aria-label="Close">✕</button>
        </header>
        {connections && !connections.length && <p className="hint">The team has no AWS connection yet: add one in the team settings.</p>}
        {connections && connections.length > 0 && (
          <>
            <div className="run-grid">
              <label>
                Connection
                <select aria-label="Connection" value={connection} onChange={(e) => setConnection(e.target.value)}>
                  {connections.map((c) => <option key={c.id} value={String(c.id)}>{c.name} ({c.region})</option>)}
                </select>
              </label>
              <label>
                Version
                <select aria-label="Version to deploy" value={version} onChange={(e) => setVersion(e.target.value)}>
                  {[...versions].sort((a, b) => b.number - a.number).map((v) => <option key={v.number} value={String(v.number)}>Version {v.number}{v.message ? ` — ${v.message}` : ""}</option>)}
                </select>
              </label>
              <label>
                Type
                <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value)}>
                  <option value="">As deployed (new: Standard)</option>
                  <option value="STANDARD">Standard</option>
                  <option value="EXPRESS">Express</option>
                </select>
              </label>
              <div className="role-choice">
                <label className="radio">
                  <input type="checkbox" checked={createRole} onChange={(e) => setCreateRole(e.target.checked)} /> Create or update an IAM role from the definition
                </label>
                {!createRole && <input aria-label="Role ARN" placeholder="arn:aws:iam::123456789012:role/… (empty: the deployed one's)" value={roleArn} onChange={(e) => setRoleArn(e.target.value)} />}
              </div>
            </div>
            {plan && (
              <section className="plan" aria-label="Plan">
                <h3>
                  {plan.already_deployed ? "Already deployed: nothing to do" : `${plan.action === "create" ? "Create" : "Update"} ${plan.state_machine_name}`}
                  <span className="meta"> · {plan.type} · account {plan.account} · {plan.region} · version {plan.version}</span>
                </h3>
                {plan.changes.length > 0 && <p>Changes: {plan.changes.join(", ")}</p>}
                {plan.warnings.map((w, i) => <p key={i} className="warning">⚠ {w}</p>)}
                {plan.diff && <DiffView diff={plan.diff} />}
                <p className="meta">Role: {plan.role.arn || "(none)"}{plan.role.create ? " — will be created" : ""}</p>
                <details>
                  <summary>IAM policy</summary>
                  <Json value={plan.policy} label="Policy" />
                </details>
              </section>
            )}
            {result && (
              <p className={result.outcome === "succeeded" || result.outcome === "already_deployed" ? "deploy-ok" : "error"} role="status">
                Deployment {result.outcome.replace(/_/g, " ")}: {result.state_machine_arn}
                {result.error_message ? ` — ${result.error_message}` : ""}
              </p>
            )}
          </>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button type="button" onClick={onClose}>Done</button>
          <button type="button" onClick={() => void doPlan()} disabled={!connection || busy !== null}>{busy === "plan" ? "Planning…" : "Plan"}</button>
          <button type="button" className="primary" onClick={() => void doDeploy()} disabled={!plan || plan.already_deployed || busy !== null}>{busy === "deploy" ? "Deploying…" : "Deploy"}</button>
        </div>
        {deployments.length > 0 && (
          <section aria-label="Deployments">
            <h3>Deployments</h3>
            <table className="event-table">
              <thead>
                <tr><th>When</th><th>Version</th><th>Connection</th><th>State machine</th><th>Action</th><th>Outcome</th><th>By</th></tr>
              </thead>
              <tbody>
                {deployments.slice(0, 20).map((d) => (
                  <tr key={d.id} className={d.outcome === "failed" ? "event-failed" : ""}>
                    <td>{new Date(d.created_at).toLocaleString()}</td>
                    <td>{d.version}</td>
                    <td>{d.connection_name}</td>
                    <td>{d.state_machine_name}</td>
                    <td>{d.action}</td>
                    <td title={d.error_message ?? undefined}>{d.outcome}</td>
                    <td>{d.created_by ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </div>
  );
}
