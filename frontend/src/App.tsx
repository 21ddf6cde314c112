import { useEffect } from "react";
import { api } from "./api/client";
import { DesignerPage } from "./designer/DesignerPage";
import { AuthPage } from "./pages/AuthPage";
import { ErrorBoundary } from "./pages/ErrorBoundary";
import { WorkflowList } from "./pages/WorkflowList";
import { NewTeamButton, TeamPage } from "./pages/TeamPage";
import { navigate, usePath } from "./router";
import { ExecutionsNavLink, runsRoute } from "./runs/routes";
import { useSession } from "./store/session";

function TopBar() {
  const user = useSession((s) => s.user);
  const teamId = useSession((s) => s.teamId);
  const setTeam = useSession((s) => s.setTeam);
  const setUser = useSession((s) => s.setUser);
  if (!user) return null;
  return (
    <nav className="topbar">
      <a className="brand" href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>Stepwright</a>
      <label className="team-switch">
        <span className="sr-only">Team</span>
        <select value={teamId ?? ""} onChange={(e) => (setTeam(Number(e.target.value)), navigate("/"))} aria-label="Team">
          {user.teams.map((t) => (
            <option key={t.id} value={t.id}>{t.personal ? `${t.name} (personal)` : t.name} · {t.role}</option>
          ))}
        </select>
      </label>
      <ExecutionsNavLink />
      {teamId && <a className="toplink" href={`/teams/${teamId}`} onClick={(e) => (e.preventDefault(), navigate(`/teams/${teamId}`))}>Team settings</a>}
      <NewTeamButton />
      <span className="spacer" />
      <span className="meta">{user.username}</span>
      <button className="link" onClick={async () => { await api.logout().catch(() => undefined); setUser(null); navigate("/login"); }}>Log out</button>
    </nav>
  );
}

export function App() {
  const path = usePath();
  const { user, loaded, load } = useSession();
  useEffect(() => {
    void load().catch(() => undefined);
  }, [load]);

  const pathname = path.split("?")[0];
  const publicPage = pathname === "/login" || pathname === "/signup";
  useEffect(() => {
    if (loaded && !user && !publicPage) navigate(`/login?next=${encodeURIComponent(path)}`, true);
    if (loaded && user && publicPage) navigate("/", true);
  }, [loaded, user, publicPage, path]);

  if (!loaded) return <div className="page"><p className="hint">Loading…</p></div>;
  if (pathname === "/login") return <AuthPage mode="login" />;
  if (pathname === "/signup") return <AuthPage mode="signup" />;
  if (!user) return null;
  const m = /^\/workflows\/(\d+)\/?$/.exec(pathname);
  const t = /^\/teams\/(\d+)\/?$/.exec(pathname);
  return (
    <div className="app">
      <TopBar />
      <ErrorBoundary key={pathname}>
        {runsRoute(pathname) ?? (m ? <DesignerPage id={Number(m[1])} key={m[1]} /> : t ? <TeamPage id={Number(t[1])} key={t[1]} /> : <WorkflowList />)}
      </ErrorBoundary>
    </div>
  );
}
