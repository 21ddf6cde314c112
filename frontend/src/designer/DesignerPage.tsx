/** The designer: palette, canvas, inspector, code, problems, versions. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { api, ApiError, type Workflow } from "../api/client";
import { parseText } from "../asl/document";
import { aslToGraph, needsLayout } from "../asl/graph";
import { addState, uniqueName } from "../asl/edit";
import { autoLayout } from "../asl/layout";
import { designer, useDesigner } from "../store/designer";
import { roleIn, useSession } from "../store/session";
import { startSync } from "../store/sync";
import { navigate } from "../router";
import { Canvas, dropPattern, dropState } from "./Canvas";
import { CodeEditor } from "./CodeEditor";
import { Inspector } from "./Inspector";
import { Palette } from "./Palette";
import { Problems } from "./Problems";
import { Versions } from "./Versions";
import { downloadGraphImage } from "./exportImage";
import { DesignerRunButtons } from "../runs/routes";
import { TriggersButton } from "../settings/Triggers";

const STATUS_TEXT: Record<string, string> = {
  saved: "All changes saved",
  dirty: "Unsaved changes…",
  saving: "Saving…",
  conflict: "Conflict: someone else changed this draft",
  error: "Not saved",
  readonly: "Read-only",
};

function isTextInput(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return el.closest(".cm-editor") !== null || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

const EXPORTS: Array<[string, string]> = [
  ["json", "ASL JSON"],
  ["yaml", "ASL YAML"],
  ["cloudformation", "CloudFormation (YAML)"],
  ["cloudformation-json", "CloudFormation (JSON)"],
  ["sam", "SAM template"],
  ["terraform", "Terraform"],
  ["iam-policy", "IAM policy"],
];

/** The export API answers with an attachment: let the browser download it. */
function exportAs(id: number, format: string) {
  const a = document.createElement("a");
  a.href = `/api/workflows/${id}/export/?format=${encodeURIComponent(format)}`;
  a.download = "";
  a.click();
}

function Toolbar({ onVersions, onError }: { onVersions: () => void; onError: (m: string) => void }) {
  const workflow = useDesigner((s) => s.workflow);
  const status = useDesigner((s) => s.saveStatus);
  const saveError = useDesigner((s) => s.saveError);
  const format = useDesigner((s) => s.format);
  const parseError = useDesigner((s) => s.parseError);
  const canUndo = useDesigner((s) => s.past.length > 0);
  const canRedo = useDesigner((s) => s.future.length > 0);
  const readOnly = useDesigner((s) => s.readOnly);
  const [versionOpen, setVersionOpen] = useState(false);
  const [message, setMessage] = useState("");
  const [savingVersion, setSavingVersion] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [downloadOpen, setDownloadOpen] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);

  const layout = async () => {
    const l = await autoLayout(designer.getState().doc);
    designer.getState().setLayout(l, true);
    designer.getState().requestFit();
  };

  const saveVersion = async () => {
    if (!workflow) return;
    setSavingVersion(true);
    try {
      // the version is cut from the saved draft: wait for autosave to catch up
      for (let i = 0; i < 50 && designer.getState().saveStatus !== "saved"; i++) {
        if (designer.getState().saveStatus === "conflict") throw new Error("Resolve the conflict first.");
        await new Promise((r) => setTimeout(r, 100));
      }
      const v = await api.saveVersion(workflow.id, message);
      setVersionOpen(false);
      setMessage("");
      setNotice(`Saved version ${v.number}`);
      setTimeout(() => setNotice(null), 4000);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    } finally {
      setSavingVersion(false);
    }
  };

  const download = () => {
    const s = designer.getState();
    const blob = new Blob([s.text], { type: s.format === "yaml" ? "application/yaml" : "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${workflow?.name ?? "workflow"}.asl.${s.format === "yaml" ? "yaml" : "json"}`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <header className="toolbar">
      <button className="link" onClick={() => navigate("/")}>← Workflows</button>
      <div className="popover-anchor">
        <h1>
          <button className="title" onClick={() => !readOnly && setDetailsOpen((o) => !o)} title={readOnly ? workflow?.description : "Name, description and tags"} aria-label={`Workflow ${workflow?.name ?? ""}`}>
            {workflow?.name}
          </button>
        </h1>
        {detailsOpen && workflow && <DetailsForm onDone={() => setDetailsOpen(false)} onError={onError} />}
      </div>
      <span className={`save-status status-${status}`} role="status" aria-live="polite" data-testid="save-status" title={saveError ?? undefined}>
        {STATUS_TEXT[status]}
        {status === "error" && saveError ? `: ${saveError}` : ""}
      </span>
      {notice && <span className="notice" role="status">{notice}</span>}
      <span className="spacer" />
      <button className="icon" onClick={() => designer.getState().undo()} disabled={!canUndo || readOnly} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
      <button className="icon" onClick={() => designer.getState().redo()} disabled={!canRedo || readOnly} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
      <button onClick={layout} disabled={readOnly} title="Arrange the graph">Auto-layout</button>
      <div className="segmented" role="group" aria-label="Code format">
        {(["json", "yaml"] as const).map((f) => (
          <button
            key={f}
            aria-pressed={format === f}
            disabled={!!parseError || readOnly}
            onClick={() => {
              if (f === "json" && format === "yaml" && !confirm("JSON has no comments: YAML comments will be dropped. Convert?")) return;
              designer.getState().setFormat(f);
            }}
          >
            {f.toUpperCase()}
          </button>
        ))}
      </div>
      <div className="popover-anchor">
        <button onClick={() => setDownloadOpen((o) => !o)} aria-haspopup="menu" aria-expanded={downloadOpen}>Download ▾</button>
        {downloadOpen && (
          <div className="popover menu" role="menu" onClick={() => setDownloadOpen(false)}>
            <button role="menuitem" onClick={download}>Definition ({format.toUpperCase()}, as written)</button>
            <div className="menu-heading">Export the saved draft</div>
            {EXPORTS.map(([fmt, label]) => (
              <button key={fmt} role="menuitem" disabled={status !== "saved" && status !== "readonly"} title={status === "saved" || status === "readonly" ? undefined : "Waiting for the draft to be saved"} onClick={() => workflow && exportAs(workflow.id, fmt)}>
                {label}
              </button>
            ))}
            <div className="menu-heading">Picture</div>
            <button role="menuitem" onClick={() => void downloadGraphImage("svg", designer.getState().graph, workflow?.name ?? "workflow")}>Graph as SVG</button>
            <button role="menuitem" onClick={() => void downloadGraphImage("png", designer.getState().graph, workflow?.name ?? "workflow")}>Graph as PNG</button>
          </div>
        )}
      </div>
      <button onClick={onVersions}>Versions</button>
      <TriggersButton workflow={workflow} canEdit={!readOnly} />
      <DesignerRunButtons workflowId={workflow?.id} />
      {!readOnly && (
        <div className="popover-anchor">
          <button className="primary" onClick={() => setVersionOpen((o) => !o)}>Save version</button>
          {versionOpen && (
            <form className="popover" onSubmit={(e) => (e.preventDefault(), void saveVersion())}>
              <label htmlFor="version-message">What changed?</label>
              <input id="version-message" autoFocus value={message} onChange={(e) => setMessage(e.target.value)} placeholder="e.g. Retry the payment call" />
              <div className="row">
                <button type="button" onClick={() => setVersionOpen(false)}>Cancel</button>
                <button type="submit" className="primary" disabled={savingVersion}>{savingVersion ? "Saving…" : "Save"}</button>
              </div>
            </form>
          )}
        </div>
      )}
    </header>
  );
}

/** The workflow's name, description and tags (PATCH /api/workflows/{id}/). */
function DetailsForm({ onDone, onError }: { onDone: () => void; onError: (m: string) => void }) {
  const workflow = useDesigner((s) => s.workflow)!;
  const [name, setName] = useState(workflow.name);
  const [description, setDescription] = useState(workflow.description);
  const [tags, setTags] = useState(workflow.tags.join(", "));
  const save = async () => {
    try {
      const updated = await api.updateWorkflow(workflow.id, {
        name: name.trim(),
        description,
        tags: tags.split(",").map((t) => t.trim()).filter(Boolean),
      });
      designer.setState({ workflow: { ...workflow, name: updated.name, description: updated.description, tags: updated.tags } });
      onDone();
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form className="popover details" onSubmit={(e) => (e.preventDefault(), void save())} aria-label="Workflow details">
      <label htmlFor="wf-name">Name</label>
      <input id="wf-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
      <label htmlFor="wf-description">Description</label>
      <textarea id="wf-description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      <label htmlFor="wf-tags">Tags (comma separated)</label>
      <input id="wf-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="orders, nightly" />
      <div className="row">
        <button type="button" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary">Save</button>
      </div>
    </form>
  );
}

function ConflictBanner() {
  const conflict = useDesigner((s) => s.conflict);
  if (!conflict) return null;
  return (
    <div className="banner banner-conflict" role="alert">
      Someone else saved this draft (revision {conflict.revision}) while you were editing. Your changes are not saved.
      <button onClick={() => designer.getState().resolveConflict("theirs")}>Load their version</button>
      <button onClick={() => designer.getState().resolveConflict("mine")}>Keep mine (overwrite)</button>
    </div>
  );
}

function Workspace({ onError }: { onError: (m: string) => void }) {
  const readOnly = useDesigner((s) => s.readOnly);
  const [showVersions, setShowVersions] = useState(false);
  const [view, setView] = useState<"both" | "canvas" | "code">("both");
  const flow = useReactFlow();
  const clipboard = useRef<Record<string, unknown> | null>(null);

  const addFromPalette = useCallback(
    (id: string) => {
      const el = document.querySelector(".canvas");
      const r = el?.getBoundingClientRect();
      const center = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
      dropState(id, center);
    },
    [flow],
  );

  const addPattern = useCallback(
    (id: string) => {
      const el = document.querySelector(".canvas");
      const r = el?.getBoundingClientRect();
      const center = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 3 }) : { x: 0, y: 0 };
      void dropPattern(id, center);
    },
    [flow],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTextInput(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "z") {
        e.preventDefault();
        if (e.shiftKey) designer.getState().redo();
        else designer.getState().undo();
      } else if (mod && e.key.toLowerCase() === "y") {
        e.preventDefault();
        designer.getState().redo();
      } else if (mod && e.key.toLowerCase() === "c") {
        const s = designer.getState();
        const picked: Record<string, unknown> = {};
        for (const id of s.selected) {
          const n = s.graph.nodes.find((x) => x.id === id);
          const st = n && (s.doc.States as Record<string, unknown> | undefined);
          if (n && n.scope === "" && st) picked[n.name] = st[n.name];
        }
        clipboard.current = Object.keys(picked).length ? picked : null;
      } else if (mod && e.key.toLowerCase() === "v" && clipboard.current && !designer.getState().readOnly) {
        e.preventDefault();
        pasteStates(clipboard.current);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="designer">
      <Toolbar onVersions={() => setShowVersions((v) => !v)} onError={onError} />
      <ConflictBanner />
      <div className={`workspace view-${view}`}>
        <Palette onAdd={addFromPalette} onAddPattern={addPattern} readOnly={readOnly} />
        <main className="center">
          <div className="view-switch segmented" role="group" aria-label="View">
            {(["canvas", "both", "code"] as const).map((v) => (
              <button key={v} aria-pressed={view === v} onClick={() => setView(v)}>{v === "both" ? "Split" : v[0].toUpperCase() + v.slice(1)}</button>
            ))}
          </div>
          <Canvas onError={onError} />
          <Problems />
        </main>
        <div className="side">
          <Inspector onError={onError} />
          <CodeEditor />
        </div>
        {showVersions && <Versions onClose={() => setShowVersions(false)} onError={onError} />}
      </div>
    </div>
  );
}

function pasteStates(states: Record<string, unknown>) {
  {
    const s = designer.getState();
    const renames: Record<string, string> = {};
    let doc = s.doc;
    for (const name of Object.keys(states)) renames[name] = uniqueName(doc, `${name} copy`);
    const layout = { ...s.layout };
    for (const [name, st] of Object.entries(states)) {
      const copy = JSON.parse(JSON.stringify(st).replace(/"(Next|Default)":"([^"]*)"/g, (m, k: string, t: string) => (renames[t] ? `"${k}":${JSON.stringify(renames[t])}` : m)));
      doc = addState(doc, "", renames[name], copy);
      const p = s.layout[name];
      if (p) layout[renames[name]] = { x: p.x + 40, y: p.y + 40 };
    }
    s.applyEdit(() => doc, () => layout);
  }
}

/** Lay out states the saved layout has no position for before the first render: no jump on open. */
async function withLayout(wf: Workflow): Promise<Workflow> {
  const parsed = parseText(wf.draft.definition);
  const layout = wf.draft.layout ?? {};
  if (!parsed.ok || !needsLayout(aslToGraph(parsed.value, layout))) return wf;
  try {
    const auto = await autoLayout(parsed.value);
    return { ...wf, draft: { ...wf.draft, layout: { ...auto, ...layout } } };
  } catch {
    return wf;
  }
}

export function DesignerPage({ id }: { id: number }) {
  const user = useSession((s) => s.user);
  const loaded = useDesigner((s) => s.workflow?.id === id);
  const [error, setError] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const onError = useCallback((m: string) => {
    setToast(m);
    window.setTimeout(() => setToast((t) => (t === m ? null : t)), 5000);
  }, []);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    api.workflow(id).then(withLayout).then(
      (wf) => {
        if (cancelled) return;
        const session = useSession.getState();
        const role = roleIn(session.user, wf.team);
        if (role && session.teamId !== wf.team) session.setTeam(wf.team);
        designer.getState().load(wf, role === "viewer" || role === "runner");
        stop = startSync();
      },
      (e: unknown) => setError(e instanceof ApiError && e.status === 404 ? "This workflow does not exist or is not shared with you." : String(e)),
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [id, user?.id]);

  if (error) return <div className="page"><p className="error">{error}</p><button onClick={() => navigate("/")}>Back to workflows</button></div>;
  if (!loaded) return <div className="page"><p className="hint">Loading…</p></div>;
  return (
    <ReactFlowProvider>
      <Workspace onError={onError} />
      {toast && <div className="toast" role="alert">{toast}</div>}
    </ReactFlowProvider>
  );
}
