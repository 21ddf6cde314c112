import { useEffect, useState } from "react";
import { api, ApiError, type Workflow } from "../api/client";
import { serialize } from "../asl/document";
import { emptyDocument } from "../asl/edit";
import { PATTERNS, type Pattern } from "../asl/patterns";
import { navigate } from "../router";
import { ImportDialog } from "./ImportDialog";
import { roleIn, useSession } from "../store/session";

function ago(iso: string): string {
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function WorkflowList() {
  const teamId = useSession((s) => s.teamId);
  const user = useSession((s) => s.user);
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [items, setItems] = useState<Workflow[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [gallery, setGallery] = useState(false);
  const [importing, setImporting] = useState(false);
  const role = teamId ? roleIn(user, teamId) : null;
  const canEdit = role === "owner" || role === "editor";

  useEffect(() => {
    if (!teamId) return;
    const t = setTimeout(() => {
      api.workflows({ team: teamId, search, tag }).then(
        (p) => {
          setItems(p.results);
          setCount(p.count);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    }, 200);
    return () => clearTimeout(t);
  }, [teamId, search, tag]);

  const [creating, setCreating] = useState<{ pattern?: Pattern; name: string } | null>(null);

  const create = async (pattern: Pattern | undefined, name: string) => {
    if (!teamId || !name.trim()) return;
    try {
      const wf = await api.createWorkflow({
        team: teamId,
        name: name.trim(),
        description: pattern?.description ?? "",
        tags: pattern ? ["pattern"] : [],
        definition: serialize(pattern?.definition ?? emptyDocument(), "json"),
        layout: {},
      });
      navigate(`/workflows/${wf.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const allTags = [...new Set((items ?? []).flatMap((w) => w.tags))].sort();

  return (
    <div className="page list-page">
      <div className="list-head">
        <h1>Workflows</h1>
        <span className="spacer" />
        {canEdit && (
          <>
            <button onClick={() => setImporting(true)}>Import…</button>
            <button onClick={() => setGallery(true)}>From a pattern…</button>
            <button className="primary" onClick={() => setCreating({ name: "Untitled workflow" })}>New workflow</button>
          </>
        )}
      </div>
      <div className="filters">
        <input type="search" placeholder="Search by name or description" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search workflows" />
        <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label="Filter by tag">
          <option value="">All tags</option>
          {allTags.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {items === null ? (
        <p className="hint">Loading…</p>
      ) : items.length === 0 ? (
        <div className="empty-state">
          <p>No workflows {search || tag ? "match" : "yet"}.</p>
          {canEdit && !search && !tag && <p className="hint">Start blank or from a pattern: a Lambda with retry, a fan-out Map, a human approval…</p>}
        </div>
      ) : (
        <table className="workflow-table">
          <thead>
            <tr><th>Name</th><th>Tags</th><th>Status</th><th>Version</th><th>Last edited</th></tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id} onClick={() => navigate(`/workflows/${w.id}`)} tabIndex={0} onKeyDown={(e) => e.key === "Enter" && navigate(`/workflows/${w.id}`)}>
                <td>
                  <a href={`/workflows/${w.id}`} onClick={(e) => e.preventDefault()}>{w.name}</a>
                  {w.description && <div className="meta">{w.description}</div>}
                </td>
                <td>{w.tags.map((t) => <button key={t} className="tag" onClick={(e) => (e.stopPropagation(), setTag(t))}>{t}</button>)}</td>
                <td><span className={`status status-${w.validation_status}`}>{w.validation_status}</span></td>
                <td>{w.latest_version ? `v${w.latest_version}` : "draft"}</td>
                <td className="meta">
                  {ago(w.updated_at)}
                  {canEdit && (
                    <button
                      className="link row-action"
                      aria-label={`Delete ${w.name}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        if (!confirm(`Delete “${w.name}”?`)) return;
                        api.deleteWorkflow(w.id).then(
                          () => setItems((list) => (list ?? []).filter((x) => x.id !== w.id)),
                          (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
                        );
                      }}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items && count > items.length && <p className="hint">Showing {items.length} of {count}.</p>}
      {gallery && (
        <div className="modal-backdrop" onClick={() => setGallery(false)}>
          <div className="modal" role="dialog" aria-label="Patterns" onClick={(e) => e.stopPropagation()}>
            <header><h2>Start from a pattern</h2><button onClick={() => setGallery(false)} aria-label="Close">✕</button></header>
            <div className="gallery">
              {PATTERNS.map((p) => (
                <button key={p.id} className="gallery-item" onClick={() => (setGallery(false), setCreating({ pattern: p, name: p.name }))} data-testid={`pattern-${p.id}`}>
                  <strong>{p.name}</strong>
                  <span>{p.description}</span>
                  <span className="meta">{Object.keys(p.definition.States as object).length} states</span>
                </button>
              ))}
            </div>
          </div>
        </div>
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImport={(name, definition) => {
            if (!teamId) return;
            api.createWorkflow({ team: teamId, name, definition, tags: ["imported"], layout: {} }).then(
              (wf) => navigate(`/workflows/${wf.id}`),
              (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
            );
          }}
        />
      )}
      {creating && (
        <div className="modal-backdrop" onClick={() => setCreating(null)}>
          <form
            className="modal modal-small"
            role="dialog"
            aria-label="New workflow"
            onClick={(e) => e.stopPropagation()}
            onSubmit={(e) => (e.preventDefault(), void create(creating.pattern, creating.name))}
          >
            <h2>{creating.pattern ? `New workflow from “${creating.pattern.name}”` : "New workflow"}</h2>
            <label>
              Name
              <input autoFocus name="workflow-name" value={creating.name} onChange={(e) => setCreating({ ...creating, name: e.target.value })} onFocus={(e) => e.target.select()} />
            </label>
            <div className="row">
              <button type="button" onClick={() => setCreating(null)}>Cancel</button>
              <button type="submit" className="primary">Create</button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
