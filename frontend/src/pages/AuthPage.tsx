import { useState } from "react";
import { api, ApiError } from "../api/client";
import { navigate } from "../router";
import { useSession } from "../store/session";

export function AuthPage({ mode }: { mode: "login" | "signup" }) {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setUser = useSession((s) => s.setUser);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "signup") await api.signup(username, email, password);
      else await api.login(username, password);
      setUser(await api.me());
      const next = new URLSearchParams(location.search).get("next");
      navigate(next && next.startsWith("/") ? next : "/", true);
    } catch (err) {
      if (err instanceof ApiError) {
        const details = err.details && typeof err.details === "object" ? Object.values(err.details as Record<string, unknown>).flat().join(" ") : "";
        setError([err.message, details].filter(Boolean).join(" "));
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth">
      <form className="auth-card" onSubmit={submit}>
        <div className="brand">Stepwright</div>
        <h1>{mode === "login" ? "Log in" : "Create your account"}</h1>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        {mode === "signup" && (
          <label>
            Email
            <input name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={mode === "login" ? "current-password" : "new-password"} value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>{mode === "login" ? "Log in" : "Sign up"}</button>
        <p className="hint">
          {mode === "login" ? (
            <>No account? <a href="/signup" onClick={(e) => (e.preventDefault(), navigate("/signup"))}>Sign up</a></>
          ) : (
            <>Have an account? <a href="/login" onClick={(e) => (e.preventDefault(), navigate("/login"))}>Log in</a></>
          )}
        </p>
      </form>
    </div>
  );
}
