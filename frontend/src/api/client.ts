/** The Stepwright REST API: session auth with CSRF, JSON in and out, one error shape. */
import type { Layout } from "../asl/graph";

export interface TeamRef {
  id: number;
  name: string;
  role: "owner" | "editor" | "runner" | "viewer";
  personal: boolean;
}
export interface User {
  id: number;
  username: string;
  email: string;
  teams: TeamRef[];
}
export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  location: string;
  state: string | null;
  line: number | null;
  column: number | null;
}
export interface Draft {
  definition: string;
  layout: Layout;
  revision: number;
  updated_at: string;
}
export interface Workflow {
  id: number;
  team: number;
  name: string;
  description: string;
  tags: string[];
  created_by: string | number | null | { id: number; username: string };
  created_at: string;
  updated_at: string;
  draft: Draft;
  latest_version: number | null;
  validation_status: "valid" | "invalid" | "unknown";
}
export interface Version {
  number: number;
  definition: string;
  layout: Layout;
  content_hash: string;
  author: string | number | null | { id: number; username: string };
  message: string;
  created_at: string;
  validation_status: "valid" | "invalid" | "unknown";
}
export interface Diff {
  added: string[];
  removed: string[];
  changed: Array<{ state: string; changes: Array<{ pointer: string; before: unknown; after: unknown }> }>;
}
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Team {
  id: number;
  name: string;
  personal: boolean;
  role: TeamRef["role"] | null;
  created_at: string;
}
export interface Member {
  id: number;
  user: { id: number; username: string; email: string };
  role: TeamRef["role"];
  created_at: string;
}
export interface Activity {
  id: number;
  actor: string | null;
  verb: string;
  verb_display: string;
  subject: string;
  workflow: number | null;
  details: unknown;
  created_at: string;
}

/** The data-flow preview: each step of a state's input/output processing on a sample input. */
export interface PreviewResult {
  steps: Array<{ field: string; value?: unknown; skipped?: boolean; error?: string | null }>;
  error?: { error: string; cause: string } | null;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: unknown,
  ) {
    super(message);
  }
}

function cookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

let csrfReady: Promise<void> | null = null;
function ensureCsrf(): Promise<void> {
  if (cookie("csrftoken")) return Promise.resolve();
  if (!csrfReady) {
    csrfReady = fetch("/api/auth/csrf/", { credentials: "same-origin" }).then(() => undefined);
  }
  return csrfReady;
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") {
    await ensureCsrf();
    headers["X-CSRFToken"] = cookie("csrftoken") ?? "";
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown }; detail?: string } | null) ?? {};
    throw new ApiError(
      res.status,
      err.error?.code ?? String(res.status),
      err.error?.message ?? err.detail ?? `${res.status} ${res.statusText}`,
      err.error?.details ?? null,
    );
  }
  return data as T;
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : "";
};

export const api = {
  me: () => request<User>("GET", "/api/auth/me/"),
  login: (username: string, password: string) => request<User>("POST", "/api/auth/login/", { username, password }),
  signup: (username: string, email: string, password: string) => request<User>("POST", "/api/auth/signup/", { username, email, password }),
  logout: () => request<void>("POST", "/api/auth/logout/"),
  workflows: (params: { team?: number; search?: string; tag?: string }) => request<Page<Workflow>>("GET", `/api/workflows/${q(params)}`),
  workflow: (id: number) => request<Workflow>("GET", `/api/workflows/${id}/`),
  createWorkflow: (body: { team: number; name: string; description?: string; tags?: string[]; definition?: string; layout?: Layout }) =>
    request<Workflow>("POST", "/api/workflows/", body),
  updateWorkflow: (id: number, body: Partial<Pick<Workflow, "name" | "description" | "tags">>) => request<Workflow>("PATCH", `/api/workflows/${id}/`, body),
  deleteWorkflow: (id: number) => request<void>("DELETE", `/api/workflows/${id}/`),
  saveDraft: (id: number, body: { definition: string; layout: Layout; revision: number }) =>
    request<{ draft: Draft; diagnostics: Diagnostic[] }>("PUT", `/api/workflows/${id}/draft/`, body),
  versions: (id: number) => request<Page<Version>>("GET", `/api/workflows/${id}/versions/`),
  version: (id: number, n: number) => request<Version>("GET", `/api/workflows/${id}/versions/${n}/`),
  saveVersion: (id: number, message: string) => request<Version>("POST", `/api/workflows/${id}/versions/`, { message }),
  restore: (id: number, n: number) => request<unknown>("POST", `/api/workflows/${id}/versions/${n}/restore/`),
  diff: (id: number, from: number | "draft", to: number | "draft") => request<Diff>("GET", `/api/workflows/${id}/diff/${q({ from, to })}`),
  team: (id: number) => request<Team>("GET", `/api/teams/${id}/`),
  createTeam: (name: string) => request<Team>("POST", "/api/teams/", { name }),
  renameTeam: (id: number, name: string) => request<Team>("PATCH", `/api/teams/${id}/`, { name }),
  members: (team: number) => request<Page<Member> | Member[]>("GET", `/api/teams/${team}/members/`),
  addMember: (team: number, user: string, role: string) => request<Member>("POST", `/api/teams/${team}/members/`, { user, role }),
  setRole: (team: number, id: number, role: string) => request<Member>("PATCH", `/api/teams/${team}/members/${id}/`, { role }),
  removeMember: (team: number, id: number) => request<void>("DELETE", `/api/teams/${team}/members/${id}/`),
  activity: (team: number) => request<Page<Activity>>("GET", `/api/teams/${team}/activity/`),
  preview: (body: { definition: string; pointer: string; state: string; input: unknown; result?: unknown }) =>
    request<PreviewResult>("POST", "/api/dataflow/preview/", body),
  validate: (definition: string, type?: string) => request<{ valid: boolean; diagnostics: Diagnostic[] }>("POST", "/api/validate/", { definition, type }),
};

export function results<T>(p: Page<T> | T[]): T[] {
  return Array.isArray(p) ? p : p.results;
}

export function userName(u: Workflow["created_by"]): string {
  if (u === null || u === undefined) return "";
  if (typeof u === "object") return u.username;
  return String(u);
}
