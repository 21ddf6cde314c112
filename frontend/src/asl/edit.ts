/**
 * Pure edits on an ASL document. Each takes a document and returns a new one; the input is never
 * changed. States are addressed by their JSON pointer ("/States/P/Branches/0/States/X").
 */
import { clone, escapePointer, getAt, isObject, splitPointer, type Json, type JsonObject } from "./types";
import type { Layout } from "./graph";

export type ConnectKind = "next" | "default" | "choice" | "catch";

export function parseStatePointer(pointer: string): { scope: string; name: string } {
  const tokens = splitPointer(pointer);
  if (tokens.length < 2 || tokens[tokens.length - 2] !== "States") throw new Error(`not a state pointer: ${pointer}`);
  const name = tokens[tokens.length - 1];
  const scopeTokens = tokens.slice(0, -2);
  return { scope: scopeTokens.length ? "/" + scopeTokens.map(escapePointer).join("/") : "", name };
}

function scopeObject(doc: JsonObject, scope: string): JsonObject {
  const obj = scope === "" ? doc : getAt(doc, scope);
  if (!isObject(obj)) throw new Error(`no scope at ${scope}`);
  if (!isObject(obj.States)) obj.States = {};
  return obj;
}

function stateAt(doc: JsonObject, pointer: string): JsonObject {
  const s = getAt(doc, pointer);
  if (!isObject(s)) throw new Error(`no state at ${pointer}`);
  return s;
}

/** Every state name in the document, in every scope. */
export function allStateNames(doc: Json): Set<string> {
  const names = new Set<string>();
  const walk = (scope: Json) => {
    if (!isObject(scope) || !isObject(scope.States)) return;
    for (const [name, st] of Object.entries(scope.States)) {
      names.add(name);
      if (!isObject(st)) continue;
      if (Array.isArray(st.Branches)) st.Branches.forEach(walk);
      if (isObject(st.ItemProcessor)) walk(st.ItemProcessor);
      if (isObject(st.Iterator)) walk(st.Iterator);
    }
  };
  walk(doc);
  return names;
}

export function uniqueName(doc: Json, base: string): string {
  const names = allStateNames(doc);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}

export function emptyDocument(): JsonObject {
  return { Comment: "A new workflow", StartAt: "Start", States: { Start: { Type: "Pass", End: true } } };
}

export function addState(doc: JsonObject, scope: string, name: string, state: JsonObject): JsonObject {
  const out = clone(doc);
  const sc = scopeObject(out, scope);
  const states = sc.States as JsonObject;
  if (name in states) throw new Error(`a state named ${name} exists`);
  states[name] = clone(state);
  if (typeof sc.StartAt !== "string" || !(sc.StartAt in states)) sc.StartAt = name;
  return out;
}

export function updateState(doc: JsonObject, pointer: string, state: JsonObject): JsonObject {
  const out = clone(doc);
  const { scope, name } = parseStatePointer(pointer);
  (scopeObject(out, scope).States as JsonObject)[name] = clone(state);
  return out;
}

export function setStartAt(doc: JsonObject, scope: string, name: string): JsonObject {
  const out = clone(doc);
  scopeObject(out, scope).StartAt = name;
  return out;
}

function isTerminalType(t: Json | undefined): boolean {
  return t === "Succeed" || t === "Fail";
}

/** Connect a state to another state of the same scope. */
export function connect(doc: JsonObject, sourcePointer: string, targetName: string, kind: ConnectKind = "next"): JsonObject {
  const out = clone(doc);
  const src = stateAt(out, sourcePointer);
  if (kind === "catch") {
    const catchers = Array.isArray(src.Catch) ? src.Catch : (src.Catch = []);
    catchers.push({ ErrorEquals: ["States.ALL"], Next: targetName });
    return out;
  }
  if (src.Type === "Choice") {
    if (kind === "default" || (kind === "next" && src.Default === undefined && Array.isArray(src.Choices) && src.Choices.length > 0)) {
      src.Default = targetName;
      return out;
    }
    const rules = Array.isArray(src.Choices) ? src.Choices : (src.Choices = []);
    const jsonata = usesJsonata(doc, sourcePointer);
    rules.push(jsonata ? { Condition: "{% true %}", Next: targetName } : { Variable: "$.value", StringEquals: "yes", Next: targetName });
    return out;
  }
  if (isTerminalType(src.Type)) throw new Error(`a ${String(src.Type)} state has no next state`);
  src.Next = targetName;
  delete src.End;
  return out;
}

/** The query language that applies to a state (its own, else the machine's). */
export function usesJsonata(doc: JsonObject, pointer: string): boolean {
  const s = getAt(doc, pointer);
  if (isObject(s) && typeof s.QueryLanguage === "string") return s.QueryLanguage === "JSONata";
  return doc.QueryLanguage === "JSONata";
}

export interface EdgeRef {
  kind: "start" | "next" | "end" | "choice" | "default" | "catch";
  source: string;
  index: number | null;
}

/** Remove one transition. A plain state losing its Next becomes an end state. */
export function disconnect(doc: JsonObject, edge: EdgeRef): JsonObject {
  const out = clone(doc);
  if (edge.kind === "start") return out;
  const src = stateAt(out, edge.source);
  switch (edge.kind) {
    case "next":
      delete src.Next;
      if (src.Type !== "Choice" && !isTerminalType(src.Type)) src.End = true;
      break;
    case "end":
      delete src.End;
      break;
    case "default":
      delete src.Default;
      break;
    case "choice":
      if (Array.isArray(src.Choices) && edge.index !== null) src.Choices.splice(edge.index, 1);
      break;
    case "catch":
      if (Array.isArray(src.Catch) && edge.index !== null) {
        src.Catch.splice(edge.index, 1);
        if (src.Catch.length === 0) delete src.Catch;
      }
      break;
  }
  return out;
}

/** Put a new state on a Next (or start) edge: source → new → old target. */
export function insertOnEdge(doc: JsonObject, edge: EdgeRef & { scope: string; targetName: string | null }, name: string, state: JsonObject): JsonObject {
  let out = addState(doc, edge.scope, name, state);
  const fresh = stateAt(out, `${edge.scope}/States/${escapePointer(name)}`);
  if (edge.targetName && !isTerminalType(fresh.Type) && fresh.Type !== "Choice") {
    fresh.Next = edge.targetName;
    delete fresh.End;
  }
  if (edge.kind === "start") return setStartAt(out, edge.scope, name);
  if (edge.kind === "next" || edge.kind === "default" || edge.kind === "choice" || edge.kind === "catch") {
    const src = stateAt(out, edge.source);
    if (edge.kind === "next") src.Next = name;
    if (edge.kind === "default") src.Default = name;
    if (edge.kind === "choice" && Array.isArray(src.Choices) && isObject(src.Choices[edge.index!])) (src.Choices[edge.index!] as JsonObject).Next = name;
    if (edge.kind === "catch" && Array.isArray(src.Catch) && isObject(src.Catch[edge.index!])) (src.Catch[edge.index!] as JsonObject).Next = name;
  }
  if (edge.kind === "end") {
    out = connect(out, edge.source, name, "next");
  }
  return out;
}

/** Call fn for every transition in one scope; fn returns the new target or null to drop it. */
function rewriteTransitions(sc: JsonObject, fn: (target: string) => string | null): void {
  if (typeof sc.StartAt === "string") {
    const t = fn(sc.StartAt);
    if (t === null) delete sc.StartAt;
    else sc.StartAt = t;
  }
  for (const st of Object.values(sc.States as JsonObject)) {
    if (!isObject(st)) continue;
    if (typeof st.Next === "string") {
      const t = fn(st.Next);
      if (t === null) {
        delete st.Next;
        if (st.Type !== "Choice") st.End = true;
      } else st.Next = t;
    }
    if (typeof st.Default === "string") {
      const t = fn(st.Default);
      if (t === null) delete st.Default;
      else st.Default = t;
    }
    for (const key of ["Choices", "Catch"] as const) {
      const list = st[key];
      if (!Array.isArray(list)) continue;
      st[key] = list.filter((item) => {
        if (!isObject(item) || typeof item.Next !== "string") return true;
        const t = fn(item.Next);
        if (t === null) return false;
        item.Next = t;
        return true;
      });
      if (key === "Catch" && (st[key] as Json[]).length === 0) delete st[key];
    }
  }
}

/**
 * Delete a state. Transitions into it go on to its own Next when it had one; otherwise they are
 * removed (a plain state becomes an end state, a Choice rule or catcher is dropped).
 */
export function deleteState(doc: JsonObject, pointer: string): JsonObject {
  const out = clone(doc);
  const { scope, name } = parseStatePointer(pointer);
  const sc = scopeObject(out, scope);
  const states = sc.States as JsonObject;
  const gone = states[name];
  const successor = isObject(gone) && typeof gone.Next === "string" && gone.Next !== name ? gone.Next : null;
  delete states[name];
  rewriteTransitions(sc, (t) => (t === name ? successor : t));
  if (sc.StartAt === undefined) {
    const first = Object.keys(states)[0];
    if (first !== undefined) sc.StartAt = first;
  }
  return out;
}

export function deleteStates(doc: JsonObject, pointers: string[]): JsonObject {
  // deepest first so that nested pointers stay valid
  const sorted = [...pointers].sort((a, b) => b.length - a.length);
  let out = doc;
  for (const p of sorted) if (getAt(out, p) !== undefined) out = deleteState(out, p);
  return out;
}

/** Rename a state, keeping its place in States and updating every reference to it. */
export function renameState(doc: JsonObject, pointer: string, newName: string): JsonObject {
  const { scope, name } = parseStatePointer(pointer);
  if (newName === name) return doc;
  if (newName.trim() === "") throw new Error("a state name cannot be empty");
  if (allStateNames(doc).has(newName)) throw new Error(`a state named ${newName} exists`);
  const out = clone(doc);
  const sc = scopeObject(out, scope);
  const states = sc.States as JsonObject;
  const renamed: JsonObject = {};
  for (const [k, v] of Object.entries(states)) renamed[k === name ? newName : k] = v;
  sc.States = renamed;
  rewriteTransitions(sc, (t) => (t === name ? newName : t));
  return out;
}

export function renameInLayout(layout: Layout, oldName: string, newName: string): Layout {
  const out: Layout = {};
  for (const [k, v] of Object.entries(layout)) out[k === oldName ? newName : k] = v;
  return out;
}

/** Templates for new states from the palette. */
export interface PaletteItem {
  id: string;
  label: string;
  group: "Flow" | "Actions";
  type: string;
  description: string;
  make: (jsonata: boolean) => JsonObject;
}

const task = (resource: string, args: JsonObject) => (jsonata: boolean): JsonObject =>
  jsonata ? { Type: "Task", Resource: resource, Arguments: args, End: true } : { Type: "Task", Resource: resource, Parameters: args, End: true };

export const PALETTE: PaletteItem[] = [
  { id: "Pass", label: "Pass", group: "Flow", type: "Pass", description: "Pass input to output, optionally shaping it", make: () => ({ Type: "Pass", End: true }) },
  {
    id: "Choice", label: "Choice", group: "Flow", type: "Choice", description: "Branch on conditions",
    make: (j) => (j ? { Type: "Choice", Choices: [] } : { Type: "Choice", Choices: [] }),
  },
  { id: "Wait", label: "Wait", group: "Flow", type: "Wait", description: "Wait for a time or a number of seconds", make: () => ({ Type: "Wait", Seconds: 5, End: true }) },
  {
    id: "Parallel", label: "Parallel", group: "Flow", type: "Parallel", description: "Run branches at the same time",
    make: () => ({ Type: "Parallel", Branches: [{ StartAt: "Branch A", States: { "Branch A": { Type: "Pass", End: true } } }], End: true }),
  },
  {
    id: "Map", label: "Map", group: "Flow", type: "Map", description: "Run the same steps for each item",
    make: () => ({ Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Process item", States: { "Process item": { Type: "Pass", End: true } } }, End: true }),
  },
  { id: "Succeed", label: "Succeed", group: "Flow", type: "Succeed", description: "Stop successfully", make: () => ({ Type: "Succeed" }) },
  { id: "Fail", label: "Fail", group: "Flow", type: "Fail", description: "Stop with an error", make: () => ({ Type: "Fail", Error: "Failed", Cause: "Something went wrong" }) },
  {
    id: "Lambda", label: "Lambda: Invoke", group: "Actions", type: "Task", description: "Invoke a Lambda function",
    make: (j) => ({
      ...task("arn:aws:states:::lambda:invoke", j ? { FunctionName: "my-function", Payload: "{% $states.input %}" } : { FunctionName: "my-function", "Payload.$": "$" })(j),
      Retry: [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
    }),
  },
  {
    id: "HTTP", label: "HTTP Task", group: "Actions", type: "Task", description: "Call an HTTPS API",
    make: task("arn:aws:states:::http:invoke", { ApiEndpoint: "https://example.com/api", Method: "GET", Authentication: { ConnectionArn: "arn:aws:events:us-east-1:123456789012:connection/my-connection/00000000-0000-0000-0000-000000000000" } }),
  },
  { id: "SQS", label: "SQS: SendMessage", group: "Actions", type: "Task", description: "Send a message to a queue", make: task("arn:aws:states:::sqs:sendMessage", { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/my-queue", MessageBody: "hello" }) },
  { id: "SNS", label: "SNS: Publish", group: "Actions", type: "Task", description: "Publish to a topic", make: task("arn:aws:states:::sns:publish", { TopicArn: "arn:aws:sns:us-east-1:123456789012:my-topic", Message: "hello" }) },
  { id: "DynamoGet", label: "DynamoDB: GetItem", group: "Actions", type: "Task", description: "Read an item", make: task("arn:aws:states:::dynamodb:getItem", { TableName: "my-table", Key: { pk: { S: "id" } } }) },
  { id: "DynamoPut", label: "DynamoDB: PutItem", group: "Actions", type: "Task", description: "Write an item", make: task("arn:aws:states:::dynamodb:putItem", { TableName: "my-table", Item: { pk: { S: "id" } } }) },
  { id: "EventBridge", label: "EventBridge: PutEvents", group: "Actions", type: "Task", description: "Put events on a bus", make: task("arn:aws:states:::events:putEvents", { Entries: [{ Source: "my.app", DetailType: "example", Detail: {} }] }) },
  { id: "StepFunctions", label: "Step Functions: StartExecution", group: "Actions", type: "Task", description: "Run a nested state machine", make: task("arn:aws:states:::states:startExecution.sync:2", { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:child", Input: {} }) },
  { id: "Glue", label: "Glue: StartJobRun", group: "Actions", type: "Task", description: "Run a Glue job and wait", make: task("arn:aws:states:::glue:startJobRun.sync", { JobName: "my-job" }) },
  { id: "Batch", label: "Batch: SubmitJob", group: "Actions", type: "Task", description: "Run a Batch job and wait", make: task("arn:aws:states:::batch:submitJob.sync", { JobName: "my-job", JobQueue: "my-queue", JobDefinition: "my-definition" }) },
  { id: "ECS", label: "ECS: RunTask", group: "Actions", type: "Task", description: "Run an ECS task and wait", make: task("arn:aws:states:::ecs:runTask.sync", { Cluster: "my-cluster", TaskDefinition: "my-task", LaunchType: "FARGATE" }) },
  { id: "SDK", label: "AWS SDK call", group: "Actions", type: "Task", description: "Any AWS API through the SDK integration", make: task("arn:aws:states:::aws-sdk:s3:listBuckets", {}) },
];

export function paletteItem(id: string): PaletteItem | undefined {
  return PALETTE.find((p) => p.id === id);
}

/** Rename every state of a fragment (nested ones included) through `rename`, transitions too. */
function renameFragment(scope: JsonObject, rename: (n: string) => string): JsonObject {
  const out = clone(scope);
  const walk = (sc: JsonObject) => {
    if (!isObject(sc.States)) return;
    const states: JsonObject = {};
    for (const [name, st] of Object.entries(sc.States)) {
      states[rename(name)] = st;
      if (!isObject(st)) continue;
      if (Array.isArray(st.Branches)) st.Branches.forEach((b) => isObject(b) && walk(b));
      if (isObject(st.ItemProcessor)) walk(st.ItemProcessor);
      if (isObject(st.Iterator)) walk(st.Iterator);
    }
    sc.States = states;
    rewriteTransitions(sc, (t) => rename(t));
  };
  walk(out);
  return out;
}

/**
 * Add a fragment (a {StartAt, States} of its own, e.g. a pattern) into a scope. Names that are
 * taken get a number; returns the new document, the fragment's start state and the renames.
 */
export function addFragment(doc: JsonObject, scope: string, fragment: JsonObject): { doc: JsonObject; start: string | null; renames: Record<string, string> } {
  const taken = allStateNames(doc);
  const renames: Record<string, string> = {};
  for (const name of allStateNames(fragment)) {
    let fresh = name;
    for (let i = 2; taken.has(fresh); i++) fresh = `${name} ${i}`;
    taken.add(fresh);
    renames[name] = fresh;
  }
  const renamed = renameFragment(fragment, (n) => renames[n] ?? n);
  const out = clone(doc);
  const sc = scopeObject(out, scope);
  const states = sc.States as JsonObject;
  for (const [name, st] of Object.entries(renamed.States as JsonObject)) states[name] = st;
  const start = typeof renamed.StartAt === "string" ? renamed.StartAt : null;
  if (typeof sc.StartAt !== "string" || !(sc.StartAt in states)) sc.StartAt = start ?? Object.keys(states)[0];
  return { doc: out, start, renames };
}

/** Add a branch (one Pass state) to a Parallel state. */
export function addBranch(doc: JsonObject, pointer: string): JsonObject {
  const out = clone(doc);
  const st = stateAt(out, pointer);
  const branches = Array.isArray(st.Branches) ? st.Branches : (st.Branches = []);
  const name = uniqueName(out, `Branch ${branches.length + 1}`);
  branches.push({ StartAt: name, States: { [name]: { Type: "Pass", End: true } } });
  return out;
}

/** Remove branch `index` of a Parallel state. */
export function removeBranch(doc: JsonObject, pointer: string, index: number): JsonObject {
  const out = clone(doc);
  const st = stateAt(out, pointer);
  if (Array.isArray(st.Branches)) st.Branches.splice(index, 1);
  return out;
}
