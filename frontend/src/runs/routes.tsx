/** The run views' hooks into the app: their routes, the designer's Run button and Executions link, the nav link. */
import { useCallback, useEffect, useState, type ReactElement } from "react";
import { runsApi, type AwsStatus } from "../api/runs";
import { useDesigner } from "../store/designer";
import { roleIn, useSession } from "../store/session";
import { navigate } from "../router";
import { ComparePage } from "./ComparePage";
import { DeployDialog, DriftBadge } from "./DeployDialog";
import { ExecutionPage } from "./ExecutionPage";
import { ExecutionsList } from "./ExecutionsList";
import { RunDialog } from "./RunDialog";

/** /executions, /executions/:id, /executions/compare?a=&b=, /workflows/:id/executions; null for every other path. */
export function runsRoute(pathname: string): ReactElement | null {
  if (/^\/executions\/compare\/?$/.test(pathname)) {
    const q = new URLSearchParams(location.search);
    return <ComparePage a={Number(q.get("a"))} b={Number(q.get("b"))} key={`compare-${q.get("a")}-${q.get("b")}`} />;
  }
  let m = /^\/executions\/(\d+)\/?$/.exec(pathname);
  if (m) return <ExecutionPage id={Number(m[1])} key={`execution-${m[1]}`} />;
  m = /^\/workflows\/(\d+)\/executions\/?$/.exec(pathname);
  if (m) return <ExecutionsList workflowId={Number(m[1])} key={`executions-${m[1]}`} />;
  if (/^\/executions\/?$/.test(pathname)) return <ExecutionsList key="executions" />;
  return null;
}

/** The designer header's Run button (opens the run dialog) and its Executions link. */
export function DesignerRunButtons({ workflowId }: { workflowId: number | undefined }) {
  const [open, setOpen] = useState(false);
  const [deploying, setDeploying] = useState(false);
  const [aws, setAws] = useState<AwsStatus | null>(null);
  const team = useDesigner((s) => s.workflow?.team);
  const canDeploy = useDesigner((s) => !s.readOnly);
  const role = useSession((s) => (team ? roleIn(s.user, team) : null));
  const canRun = role !== "viewer";
  const loadAws = useCallback(() => {
    if (workflowId) void runsApi.awsStatus(workflowId).then(setAws, () => setAws(null));
  }, [workflowId]);
  useEffect(loadAws, [loadAws]);
  if (!workflowId) return null;
  return (
    <>
      <DriftBadge status={aws} />
      {team && canDeploy && <button onClick={() => setDeploying(true)} title="Deploy a version to AWS Step Functions">Deploy…</button>}
      {deploying && team && <DeployDialog workflowId={workflowId} team={team} onClose={() => setDeploying(false)} onDeployed={loadAws} />}
      <a className="toolbar-link" href={`/workflows/${workflowId}/executions`} onClick={(e) => (e.preventDefault(), navigate(`/workflows/${workflowId}/executions`))}>
        Executions
      </a>
      {canRun && (
        <button className="run-button" onClick={() => setOpen(true)} title="Run this workflow">
          <span aria-hidden>▶</span> Run
        </button>
      )}
      {open && <RunDialog workflowId={workflowId} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The top bar's link to every execution. */
export function ExecutionsNavLink() {
  return (
    <a className="toplink" href="/executions" onClick={(e) => (e.preventDefault(), navigate("/executions"))}>
      Executions
    </a>
  );
}
