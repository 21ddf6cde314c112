/** Team settings and workflow triggers: AWS connections, Step Functions access keys, schedules, webhooks, event rules. */
import { request } from "./client";

export type AuthMode = "default" | "assume_role" | "access_key";

export interface AwsConnection {
  id: number;
  team: number;
  name: string;
  region: string;
  auth_mode: AuthMode;
  role_arn: string;
  has_external_id: boolean;
  has_access_key: boolean;
  access_key_hint: string;
  endpoint_url: string;
  account_id: string | null;
  tested_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** What a connection is written with; the secrets are write-only and never come back. */
export interface AwsConnectionWrite {
  name: string;
  region: string;
  auth_mode: AuthMode;
  role_arn?: string;
  external_id?: string;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  endpoint_url?: string;
}

export interface ConnectionTest {
  account: string;
  arn: string;
  region: string;
}

export interface AccessKey {
  id: number;
  name: string;
  access_key_id: string;
  user: string;
  created_at: string;
  last_used_at: string | null;
}
export interface NewAccessKey extends AccessKey {
  secret_access_key: string;
  endpoint: string;
}

export interface ScheduleFiring {
  due_at: string;
  outcome: "started" | "missed" | "failed" | string;
  execution: number | null;
  message: string;
  created_at: string;
}
export interface Schedule {
  id: number;
  workflow: number;
  name: string;
  expression: string;
  timezone: string;
  input: unknown;
  enabled: boolean;
  start_at: string | null;
  next_due_at: string | null;
  last_started_at: string | null;
  missed_count: number;
  last_missed_at: string | null;
  created_at: string;
  updated_at: string;
  next_times: string[];
  recent: ScheduleFiring[];
}
export interface ScheduleWrite {
  name: string;
  expression: string;
  timezone: string;
  input: unknown;
  enabled: boolean;
}

export interface Webhook {
  workflow: number;
  prefix: string;
  enabled: boolean;
  created_at: string;
  rotated_at: string | null;
  last_called_at: string | null;
}
export interface WebhookSecret extends Webhook {
  token: string;
  url: string;
}

export type EndStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT";
export interface EventRule {
  id: number;
  workflow: number;
  source: number;
  source_name: string;
  statuses: EndStatus[];
  enabled: boolean;
  created_at: string;
}

const conn = (team: number, id?: number) => `/api/teams/${team}/aws-connections/${id === undefined ? "" : `${id}/`}`;
const keys = (team: number, id?: number) => `/api/teams/${team}/access-keys/${id === undefined ? "" : `${id}/`}`;
const wf = (workflow: number, rest: string) => `/api/workflows/${workflow}/${rest}`;

export const settingsApi = {
  connections: (team: number) => request<AwsConnection[]>("GET", conn(team)),
  createConnection: (team: number, body: AwsConnectionWrite) => request<AwsConnection>("POST", conn(team), body),
  updateConnection: (team: number, id: number, body: Partial<AwsConnectionWrite>) => request<AwsConnection>("PATCH", conn(team, id), body),
  deleteConnection: (team: number, id: number) => request<void>("DELETE", conn(team, id)),
  testConnection: (team: number, id: number) => request<ConnectionTest>("POST", `${conn(team, id)}test/`),

  accessKeys: (team: number) => request<AccessKey[]>("GET", keys(team)),
  createAccessKey: (team: number, name: string) => request<NewAccessKey>("POST", keys(team), { name }),
  revokeAccessKey: (team: number, id: number) => request<void>("DELETE", keys(team, id)),

  schedules: (workflow: number) => request<Schedule[]>("GET", wf(workflow, "schedules/")),
  createSchedule: (workflow: number, body: ScheduleWrite) => request<Schedule>("POST", wf(workflow, "schedules/"), body),
  updateSchedule: (workflow: number, id: number, body: Partial<ScheduleWrite>) => request<Schedule>("PATCH", wf(workflow, `schedules/${id}/`), body),
  deleteSchedule: (workflow: number, id: number) => request<void>("DELETE", wf(workflow, `schedules/${id}/`)),

  webhook: (workflow: number) => request<Webhook>("GET", wf(workflow, "webhook/")),
  createWebhook: (workflow: number) => request<WebhookSecret>("POST", wf(workflow, "webhook/")),
  rotateWebhook: (workflow: number) => request<WebhookSecret>("POST", wf(workflow, "webhook/rotate/")),
  deleteWebhook: (workflow: number) => request<void>("DELETE", wf(workflow, "webhook/")),

  eventRules: (workflow: number) => request<EventRule[]>("GET", wf(workflow, "event-rules/")),
  createEventRule: (workflow: number, body: { source: number; statuses: EndStatus[]; enabled: boolean }) =>
    request<EventRule>("POST", wf(workflow, "event-rules/"), body),
  updateEventRule: (workflow: number, id: number, body: { statuses?: EndStatus[]; enabled?: boolean }) =>
    request<EventRule>("PATCH", wf(workflow, `event-rules/${id}/`), body),
  deleteEventRule: (workflow: number, id: number) => request<void>("DELETE", wf(workflow, `event-rules/${id}/`)),
};
