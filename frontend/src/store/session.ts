/** The signed-in user and the current team. */
import { create } from "zustand";
import { api, ApiError, type User } from "../api/client";

interface SessionState {
  user: User | null;
  loaded: boolean;
  teamId: number | null;
  load(): Promise<User | null>;
  setUser(u: User | null): void;
  setTeam(id: number): void;
}

const TEAM_KEY = "stepwright.team";

function pickTeam(u: User | null): number | null {
  if (!u || !u.teams.length) return null;
  const saved = Number(localStorage.getItem(TEAM_KEY));
  if (u.teams.some((t) => t.id === saved)) return saved;
  return (u.teams.find((t) => t.personal) ?? u.teams[0]).id;
}

export const useSession = create<SessionState>()((set) => ({
  user: null,
  loaded: false,
  teamId: null,
  async load() {
    try {
      const user = await api.me();
      set({ user, loaded: true, teamId: pickTeam(user) });
      return user;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        set({ user: null, loaded: true, teamId: null });
        return null;
      }
      set({ loaded: true });
      throw e;
    }
  },
  setUser(user) {
    set({ user, loaded: true, teamId: pickTeam(user) });
  },
  setTeam(id) {
    localStorage.setItem(TEAM_KEY, String(id));
    set({ teamId: id });
  },
}));

export function roleIn(user: User | null, teamId: number): string | null {
  return user?.teams.find((t) => t.id === teamId)?.role ?? null;
}
