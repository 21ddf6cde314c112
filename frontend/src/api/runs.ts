/** Executions, their history, task tokens, test cases and AWS connections: the API of the run views. */
import { request, type Diff, type Page } from "./client";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

export interface Execution {
  id: number;
  uuid: string;
  workflow: number;
  workflow_name: string;
  version: number | null;
  backend: "local" | "aws";
  name: string;
  status: ExecutionStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  started_at: string;
  stopped_at: string | null;
  started_by: string | null;
  test_case: string | null;
  redrive_count: number;
}

export interface WaitingToken {
  token: string;
  state: string;
  created_at: string;
}

export interface ExecutionDetail extends Execution {
  /** Tasks waiting on a callback (`.waitForTaskToken`); absent on servers that do not report them. */
  waiting_tokens?: WaitingToken[];
  /** Map iterations and Parallel branches by status, while they run as child executions */
  children?: Partial<Record<ExecutionStatus, number>>;
  /** local runs: the states it pauses before */
  breakpoints?: string[];
  /** where it waits at a breakpoint: itself, or Map iterations / branches (each continued by its own id) */
  paused?: Paused[];
}

export interface Paused {
  execution: number;
  name: string;
  state: string;
  input: unknown;
}

/** One event in AWS's GetExecutionHistory shape: the `…EventDetails` key varies with the type. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: string;
  [details: string]: unknown;
}

/** A Map iteration or Parallel branch, as its parent's progress shows it. */
export interface Child {
  id: number;
  index: number;
  kind: "map_iteration" | "branch";
  name: string;
  status: ExecutionStatus;
  /** the state it is in now */
  state: string | null;
  /** waiting for a slot under MaxConcurrency */
  queued: boolean;
  /** waiting at a breakpoint before `state` (absent from older servers) */
  paused?: boolean;
  error: string | null;
  cause: string | null;
  started_at: string;
  stopped_at: string | null;
}

/** The children of an execution's latest fan-out: live while it waits for them. */
export interface ChildrenPage {
  live: boolean;
  /** their Map or Parallel state, while live */
  state: string | null;
  total: number;
  done: number;
  failed: number;
  running: number;
  /** while live, per state: the children in it now and those paused at a breakpoint before it */
  states?: Record<string, LiveHere>;
  children: Child[];
  next_after: number;
}

export interface LiveHere {
  running: number;
  paused: number;
}

export interface HistoryPage {
  status: ExecutionStatus;
  events: HistoryEvent[];
  next_after: number;
  done: boolean;
}

/** A mocked response: `Return` a value or `Throw` an error, per attempt ("0", "1", …). */
export type MockResponse = { Return: unknown } | { Throw: { Error: string; Cause?: string } };

/** A named input saved with a workflow, shared by its team. */
export interface SampleInput {
  id: number;
  name: string;
  input: unknown;
  updated_by: string | null;
  updated_at: string;
}

export interface TestCase {
  id: number;
  name: string;
  responses: Record<string, Record<string, MockResponse>>;
  created_at: string;
  updated_at: string;
}

export interface AwsConnection {
  id: number;
  team: number;
  name: string;
  region: string;
  account_id: string | null;
  endpoint_url: string;
}

/** Where an execution on AWS runs, how the copy of its history goes, and its callback tasks. */
export interface AwsExecutionDetails {
  execution: number;
  execution_arn: string;
  state_machine_arn: string;
  connection: { id: number; name: string; region?: string } | null;
  express: boolean;
  history_on_aws: boolean;
  note: string;
  polled_at: string | null;
  last_error: string;
  console_url: string;
  waiting_tasks: Array<{ state: string | null; event_id: number; resource: string; token: string | null }>;
}

export interface DeployOptions {
  connection: number;
  version?: number;
  create_role?: boolean;
  role_arn?: string;
  type?: string;
}

export interface DeployPlan {
  action: "create" | "update";
  already_deployed: boolean;
  changes: string[];
  state_machine_name: string;
  state_machine_arn: string;
  account: string;
  region: string;
  type: string;
  version: number;
  definition: string;
  diff: Diff | null;
  role: { arn: string; create: boolean; name: string; policy: unknown; trust_policy: unknown };
  policy: unknown;
  warnings: string[];
}

export interface Deployment {
  id: number;
  workflow: number;
  version: number;
  connection: number | null;
  connection_name: string;
  region: string;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
  state_machine_name: string;
  type: string;
  action: string;
  outcome: string;
  state_machine_arn: string;
  error_code: string | null;
  error_message: string | null;
}

export interface AwsStatus {
  drift: boolean;
  links: Array<{
    connection: { id: number; name: string } | null;
    state_machine_name: string;
    state_machine_arn: string;
    status: "in_sync" | "behind" | "changed_on_aws" | "missing" | "unknown";
    deployed_version: number | null;
    latest_version: number | null;
  }>;
}

export interface StartBody {
  input: unknown;
  version?: number;
  name?: string;
  test_case?: string;
  backend?: "local" | "aws";
  connection?: number;
  breakpoints?: string[];
}

export interface ExecutionFilters {
  workflow?: number;
  team?: number;
  status?: string;
  backend?: string;
  started_by?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : "";
}

export const runsApi = {
  start: (workflow: number, body: StartBody) => request<Execution>("POST", `/api/workflows/${workflow}/executions/`, body),
  executions: (f: ExecutionFilters) => request<Page<Execution>>("GET", `/api/executions/${query({ ...f })}`),
  execution: (id: number) => request<ExecutionDetail>("GET", `/api/executions/${id}/`),
  history: (id: number, after: number, limit?: number) =>
    request<HistoryPage>("GET", `/api/executions/${id}/history/${query({ after, limit })}`),
  children: (id: number, limit?: number) => request<ChildrenPage>("GET", `/api/executions/${id}/children/${query({ limit })}`),
  continue: (id: number, body: { input?: unknown; step?: boolean }) => request<ExecutionDetail>("POST", `/api/executions/${id}/continue/`, body),
  /** every paused iteration, branch (or the run itself) at once; the ids that went on */
  continueAll: (id: number, step = false) => request<{ continued: number[] }>("POST", `/api/executions/${id}/continue-all/`, { step }),
  setBreakpoints: (id: number, breakpoints: string[]) =>
    request<{ breakpoints: string[] }>("PUT", `/api/executions/${id}/breakpoints/`, { breakpoints }),
  stop: (id: number, cause?: string) => request<Execution>("POST", `/api/executions/${id}/stop/`, cause ? { cause } : {}),
  taskSuccess: (token: string, output: unknown) => request<Execution>("POST", "/api/task-tokens/success/", { token, output }),
  taskFailure: (token: string, error: string, cause: string) =>
    request<Execution>("POST", "/api/task-tokens/failure/", { token, error: error || null, cause: cause || null }),
  testCases: (workflow: number) => request<TestCase[]>("GET", `/api/workflows/${workflow}/test-cases/`),
  createTestCase: (workflow: number, body: Pick<TestCase, "name" | "responses">) =>
    request<TestCase>("POST", `/api/workflows/${workflow}/test-cases/`, body),
  updateTestCase: (workflow: number, id: number, body: Pick<TestCase, "name" | "responses">) =>
    request<TestCase>("PUT", `/api/workflows/${workflow}/test-cases/${id}/`, body),
  sampleInputs: (workflow: number) => request<SampleInput[]>("GET", `/api/workflows/${workflow}/sample-inputs/`),
  saveSampleInput: (workflow: number, name: string, input: unknown) =>
    request<SampleInput>("POST", `/api/workflows/${workflow}/sample-inputs/`, { name, input }),
  deleteSampleInput: (workflow: number, id: number) => request<void>("DELETE", `/api/workflows/${workflow}/sample-inputs/${id}/`),
  awsDetails: (id: number) => request<AwsExecutionDetails>("GET", `/api/aws/executions/${id}/`),
  // One endpoint for both backends: the server hands it to the execution's backend.
  redrive: (id: number) => request<Execution>("POST", `/api/executions/${id}/redrive/`),
  awsTaskSuccess: (workflow: number, token: string, output: unknown) =>
    request<void>("POST", `/api/workflows/${workflow}/aws/task-tokens/success/`, { token, output }),
  awsTaskFailure: (workflow: number, token: string, error: string, cause: string) =>
    request<void>("POST", `/api/workflows/${workflow}/aws/task-tokens/failure/`, { token, error: error || null, cause: cause || null }),
  plan: (workflow: number, body: DeployOptions) => request<DeployPlan>("POST", `/api/workflows/${workflow}/deploy/plan/`, body),
  deploy: (workflow: number, body: DeployOptions) => request<Deployment>("POST", `/api/workflows/${workflow}/deploy/`, body),
  deployments: (workflow: number) => request<Deployment[]>("GET", `/api/workflows/${workflow}/deployments/`),
  awsStatus: (workflow: number) => request<AwsStatus>("GET", `/api/workflows/${workflow}/aws/`),
  connections: (team: number) => request<AwsConnection[] | Page<AwsConnection>>("GET", `/api/teams/${team}/aws-connections/`),
};
