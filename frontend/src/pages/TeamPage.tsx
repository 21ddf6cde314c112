/** Team settings: name, members and their roles, and the activity log. */
import { useEffect, useState } from "react";
import { api, ApiError, results, type Activity, type Member, type Team } from "../api/client";
import { useSession } from "../store/session";
import { AccessKeys } from "../settings/AccessKeys";
import { AwsConnections } from "../settings/AwsConnections";

const ROLES = ["owner", "editor", "runner", "viewer"] as const;
const ROLE_HELP: Record<string, string> = {
  owner: "everything, including members",
  editor: "design and save workflows",
  runner: "run workflows, read-only designer",
  viewer: "read-only",
};

export function TeamPage({ id }: { id: number }) {
  const [team, setTeam] = useState<Team | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [activity, setActivity] = useState<Activity[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [invite, setInvite] = useState({ user: "", role: "editor" });
  const [name, setName] = useState("");
  const reloadSession = useSession((s) => s.load);
  const owner = team?.role === "owner";

  const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : String(e));
  const reload = () => {
    api.team(id).then((t) => (setTeam(t), setName(t.name)), fail);
    api.members(id).then((m) => setMembers(results(m)), fail);
    api.activity(id).then((a) => setActivity(a.results), () => setActivity([]));
  };
  useEffect(reload, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(() => (reload(), void reloadSession()), fail);
  };

  if (!team) return <div className="page">{error ? <p className="error">{error}</p> : <p className="hint">Loading…</p>}</div>;
  return (
    <div className="page team-page">
      <div className="list-head">
        <h1>{team.name}</h1>
        {team.personal && <span className="tag">personal</span>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {owner && !team.personal && (
        <form className="inline-form" onSubmit={(e) => (e.preventDefault(), act(api.renameTeam(id, name)))}>
          <label>Team name <input value={name} onChange={(e) => setName(e.target.value)} /></label>
          <button type="submit" disabled={name === team.name || !name.trim()}>Rename</button>
        </form>
      )}
      <h2>Members</h2>
      {team.personal && <p className="hint">A personal team has only you. Create a team to share workflows.</p>}
      <table className="workflow-table">
        <thead><tr><th>User</th><th>Role</th><th /></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>{m.user.username} <span className="meta">{m.user.email}</span></td>
              <td>
                {owner ? (
                  <select value={m.role} onChange={(e) => act(api.setRole(id, m.id, e.target.value))} aria-label={`Role of ${m.user.username}`}>
                    {ROLES.map((r) => <option key={r} value={r}>{r} — {ROLE_HELP[r]}</option>)}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td>{owner && <button className="link" onClick={() => confirm(`Remove ${m.user.username}?`) && act(api.removeMember(id, m.id))}>Remove</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {owner && !team.personal && (
        <form className="inline-form" onSubmit={(e) => (e.preventDefault(), act(api.addMember(id, invite.user, invite.role)), setInvite({ ...invite, user: "" }))}>
          <label>Add by username or email <input value={invite.user} onChange={(e) => setInvite({ ...invite, user: e.target.value })} required /></label>
          <label>Role
            <select value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.target.value })}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="primary">Add member</button>
        </form>
      )}
      {(owner || team.role === "editor") && <AwsConnections team={id} role={team.role} />}
      <AccessKeys team={id} />
      <h2>Activity</h2>
      {activity.length === 0 ? <p className="hint">Nothing yet.</p> : (
        <ul className="activity">
          {activity.map((a) => (
            <li key={a.id}>
              <strong>{a.actor ?? "someone"}</strong> {a.verb_display.toLowerCase()} {a.subject}
              <span className="meta"> · {new Date(a.created_at).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NewTeamButton() {
  const setTeam = useSession((s) => s.setTeam);
  const load = useSession((s) => s.load);
  return (
    <button
      className="link"
      onClick={async () => {
        const name = prompt("Name of the new team");
        if (!name?.trim()) return;
        const t = await api.createTeam(name.trim());
        await load();
        setTeam(t.id);
      }}
    >
      New team
    </button>
  );
}
