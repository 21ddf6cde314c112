/**
 * Derive the canvas graph from an ASL document plus a layout map ({StateName: {x, y}}).
 * The graph is never stored; `graphToAsl` rebuilds the document from it, which the
 * round-trip tests use to show that nodes and edges carry every transition.
 */
import { childScopes, escapePointer, isObject, type Json, type JsonObject } from "./types";

export type Layout = Record<string, { x: number; y: number }>;
export type NodeKind = "state" | "start" | "end" | "branch" | "missing";
export type EdgeKind = "start" | "next" | "end" | "choice" | "default" | "catch";

export interface GNode {
  id: string;
  kind: NodeKind;
  /** id of the containing node (a branch/processor), or null at the top. */
  parent: string | null;
  /** pointer of the StartAt/States object this node lives in. */
  scope: string;
  name: string;
  type: string | null;
  /** state (or scope) fields, less transitions and nested scopes */
  body: JsonObject;
  keys: string[];
  /** key order of each Choice rule and catcher, so that Next goes back where it was */
  itemKeys: { Choices?: string[][]; Catch?: string[][] };
  /** position relative to the parent; null when the layout has none */
  position: { x: number; y: number } | null;
  width: number;
  height: number;
}

export interface GEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  scope: string;
  /** the state name the transition names (for start/next/choice/default/catch) */
  targetName: string | null;
  label: string | null;
  /** rule index (choice) or catcher index (catch) */
  index: number | null;
}

export interface Graph {
  nodes: GNode[];
  edges: GEdge[];
  /** the machine's own fields, less StartAt and States */
  root: { body: JsonObject; keys: string[] };
}

export const STATE_W = 200;
export const STATE_H = 56;
export const MARKER = 28;
export const GROUP_PAD = 24;
export const GROUP_HEADER = 40;
export const BRANCH_GAP = 16;

export const startId = (scope: string) => `${scope}#start`;
export const endId = (scope: string) => `${scope}#end`;
export const missingId = (scope: string, name: string) => `${scope}#missing/${escapePointer(name)}`;
export const stateId = (scope: string, name: string) => `${scope}/States/${escapePointer(name)}`;

/** A scope's own fields: StartAt (a string) and States (an object) become edges and nodes. */
function scopeBody(so: JsonObject): JsonObject {
  const drop: string[] = [];
  if (typeof so.StartAt === "string") drop.push("StartAt");
  if (isObject(so.States)) drop.push("States");
  return omit(so, drop);
}

function omit(obj: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) if (!keys.includes(k)) out[k] = obj[k];
  return out;
}

/** Short text for a Choice rule, used as the edge label. */
export function ruleLabel(rule: Json): string {
  if (!isObject(rule)) return "?";
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And)) return rule.And.map(ruleLabel).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.map(ruleLabel).join(" or ");
  if (rule.Not !== undefined) return `not (${ruleLabel(rule.Not)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  const ops: Record<string, string> = {
    Equals: "==", LessThan: "<", GreaterThan: ">", LessThanEquals: "<=", GreaterThanEquals: ">=",
  };
  for (const [k, v] of Object.entries(rule)) {
    if (k === "Variable" || k === "Next" || k === "Comment" || k === "Assign" || k === "Output") continue;
    const m = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(k);
    if (m) return `${variable} ${ops[m[2]]} ${m[3] ? v : JSON.stringify(v)}`;
    if (k === "StringMatches") return `${variable} matches ${JSON.stringify(v)}`;
    if (k.startsWith("Is")) return `${variable} ${k}${v === false ? " = false" : ""}`;
    return `${variable} ${k} ${JSON.stringify(v)}`;
  }
  return variable;
}

interface Builder {
  nodes: GNode[];
  edges: GEdge[];
  layout: Layout;
}

/** Build one scope; returns the scope's content size (for its container). */
function buildScope(b: Builder, scopeObj: JsonObject, scope: string, parent: string | null): { width: number; height: number } {
  const states = isObject(scopeObj.States) ? scopeObj.States : {};
  const names = Object.keys(states);
  const firstNode = b.nodes.length;
  const ids = new Set(names.map((n) => stateId(scope, n)));
  const missing = new Set<string>();
  const target = (name: string): string => {
    const id = stateId(scope, name);
    if (ids.has(id)) return id;
    missing.add(name);
    return missingId(scope, name);
  };
  const ends: string[] = [];

  b.nodes.push({
    id: startId(scope), kind: "start", parent, scope, name: "Start", type: null, body: {}, keys: [], itemKeys: {},
    position: null, width: MARKER, height: MARKER,
  });
  if (typeof scopeObj.StartAt === "string") {
    b.edges.push({
      id: `${scope}#start->`, kind: "start", source: startId(scope), target: target(scopeObj.StartAt), scope,
      targetName: scopeObj.StartAt, label: null, index: null,
    });
  }

  for (const name of names) {
    const raw = states[name];
    const id = stateId(scope, name);
    const state: JsonObject = isObject(raw) ? raw : {};
    const stripped: string[] = [];
    if (typeof state.Next === "string") {
      stripped.push("Next");
      b.edges.push({ id: `${id}->next`, kind: "next", source: id, target: target(state.Next), scope, targetName: state.Next, label: null, index: null });
    }
    if (state.End === true) {
      stripped.push("End");
      ends.push(id);
      b.edges.push({ id: `${id}->end`, kind: "end", source: id, target: endId(scope), scope, targetName: null, label: null, index: null });
    } else if ((state.Type === "Succeed" || state.Type === "Fail") && state.Next === undefined) {
      ends.push(id);
    }
    if (state.Type === "Choice" && typeof state.Default === "string") {
      stripped.push("Default");
      b.edges.push({ id: `${id}->default`, kind: "default", source: id, target: target(state.Default), scope, targetName: state.Default, label: "Default", index: null });
    }
    const body = omit(state, stripped);
    const itemKeys: GNode["itemKeys"] = {};
    for (const key of ["Choices", "Catch"] as const) {
      const list = state[key];
      if (Array.isArray(list)) itemKeys[key] = list.map((item) => (isObject(item) ? Object.keys(item) : []));
    }
    if (state.Type === "Choice" && Array.isArray(state.Choices)) {
      body.Choices = state.Choices.map((rule, i) => {
        if (isObject(rule) && typeof rule.Next === "string") {
          b.edges.push({ id: `${id}->choice/${i}`, kind: "choice", source: id, target: target(rule.Next), scope, targetName: rule.Next, label: ruleLabel(rule), index: i });
          return omit(rule, ["Next"]);
        }
        return rule;
      });
    }
    if (Array.isArray(state.Catch)) {
      body.Catch = state.Catch.map((catcher, i) => {
        if (isObject(catcher) && typeof catcher.Next === "string") {
          const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "";
          b.edges.push({ id: `${id}->catch/${i}`, kind: "catch", source: id, target: target(catcher.Next), scope, targetName: catcher.Next, label: errors, index: i });
          return omit(catcher, ["Next"]);
        }
        return catcher;
      });
    }
    const node: GNode = {
      id, kind: "state", parent, scope, name, type: typeof state.Type === "string" ? state.Type : null, body, keys: Object.keys(state), itemKeys,
      position: b.layout[name] ? { x: b.layout[name].x, y: b.layout[name].y } : null, width: STATE_W, height: STATE_H,
    };
    b.nodes.push(node);

    // nested scopes: Parallel branches, Map processor
    const scopes = childScopes(state, id);
    if (scopes.length > 0) {
      if (state.Type === "Parallel") delete body.Branches;
      let x = GROUP_PAD;
      let maxH = 0;
      scopes.forEach((sc, i) => {
        const key = sc.slice(id.length + 1); // Branches/0 | ItemProcessor | Iterator
        const scopeObj = state.Type === "Parallel" ? (state.Branches as Json[])[i] : state[key];
        const so = isObject(scopeObj) ? scopeObj : {};
        const branch: GNode = {
          id: sc, kind: "branch", parent: id, scope: sc, name: state.Type === "Parallel" ? `Branch ${i + 1}` : key,
          type: null, body: scopeBody(so), keys: Object.keys(so), itemKeys: {}, position: null, width: 0, height: 0,
        };
        b.nodes.push(branch);
        const size = buildScope(b, so, sc, sc);
        branch.width = Math.max(size.width, STATE_W + 2 * GROUP_PAD);
        branch.height = Math.max(size.height, STATE_H + 2 * GROUP_PAD + GROUP_HEADER);
        branch.position = { x, y: GROUP_HEADER };
        x += branch.width + BRANCH_GAP;
        maxH = Math.max(maxH, branch.height);
      });
      // the processor's other fields (ProcessorConfig ...) live on the branch node
      if (state.Type === "Map") delete body[scopes[0].slice(id.length + 1)];
      node.width = x - BRANCH_GAP + GROUP_PAD;
      node.height = GROUP_HEADER + maxH + GROUP_PAD;
    }
  }

  for (const name of missing) {
    b.nodes.push({
      id: missingId(scope, name), kind: "missing", parent, scope, name, type: null, body: {}, keys: [], itemKeys: {},
      position: null, width: STATE_W, height: STATE_H,
    });
  }
  b.nodes.push({
    id: endId(scope), kind: "end", parent, scope, name: "End", type: null, body: {}, keys: [], itemKeys: {},
    position: null, width: MARKER, height: MARKER,
  });

  placeMarkers(b, scope, firstNode, typeof scopeObj.StartAt === "string" ? stateId(scope, scopeObj.StartAt) : null, ends);

  // content size of this scope (nodes are relative to the scope's container)
  let w = 0;
  let h = 0;
  for (let i = firstNode; i < b.nodes.length; i++) {
    const n = b.nodes[i];
    if (n.scope !== scope || !n.position) continue;
    w = Math.max(w, n.position.x + n.width);
    h = Math.max(h, n.position.y + n.height);
  }
  return { width: w + GROUP_PAD, height: h + GROUP_PAD };
}

/** Start above the first state, end below the lowest state; missing targets beside. */
function placeMarkers(b: Builder, scope: string, first: number, startState: string | null, ends: string[]): void {
  const inScope = b.nodes.slice(first).filter((n) => n.scope === scope);
  const byId = new Map(inScope.map((n) => [n.id, n]));
  const placed = inScope.filter((n) => n.kind === "state" && n.position);
  if (placed.length === 0) return;
  const top = Math.min(...placed.map((n) => n.position!.y));
  const bottom = Math.max(...placed.map((n) => n.position!.y + n.height));
  const right = Math.max(...placed.map((n) => n.position!.x + n.width));
  const s = startState ? byId.get(startState) : undefined;
  const sp = s?.position ?? placed[0].position!;
  const sw = s?.width ?? STATE_W;
  byId.get(startId(scope))!.position = { x: sp.x + sw / 2 - MARKER / 2, y: top - 60 };
  const endNodes = ends.map((id) => byId.get(id)).filter((n): n is GNode => !!n?.position);
  const ex = endNodes.length ? endNodes.reduce((a, n) => a + n.position!.x + n.width / 2, 0) / endNodes.length : sp.x + sw / 2;
  byId.get(endId(scope))!.position = { x: ex - MARKER / 2, y: bottom + 40 };
  let my = top;
  for (const n of inScope) {
    if (n.kind === "missing") {
      n.position = { x: right + 60, y: my };
      my += STATE_H + 20;
    }
  }
}

export function aslToGraph(doc: Json, layout: Layout = {}): Graph {
  const b: Builder = { nodes: [], edges: [], layout };
  const obj = isObject(doc) ? doc : {};
  buildScope(b, obj, "", null);
  return {
    nodes: b.nodes,
    edges: b.edges,
    root: { body: scopeBody(obj), keys: Object.keys(obj) },
  };
}

/** Rebuild the ASL document from a graph (the inverse of aslToGraph). */
export function graphToAsl(graph: Graph): JsonObject {
  const byScope = new Map<string, GNode[]>();
  for (const n of graph.nodes) {
    if (n.kind !== "state") continue;
    const list = byScope.get(n.scope) ?? [];
    list.push(n);
    byScope.set(n.scope, list);
  }
  const outEdges = new Map<string, GEdge[]>();
  for (const e of graph.edges) {
    const list = outEdges.get(e.source) ?? [];
    list.push(e);
    outEdges.set(e.source, list);
  }
  const branches = new Map<string, GNode[]>();
  for (const n of graph.nodes) {
    if (n.kind !== "branch" || !n.parent) continue;
    const list = branches.get(n.parent) ?? [];
    list.push(n);
    branches.set(n.parent, list);
  }

  const buildScopeObj = (scope: string, body: JsonObject, keys: string[]): JsonObject => {
    const startEdge = (outEdges.get(startId(scope)) ?? [])[0];
    const states: JsonObject = {};
    for (const n of byScope.get(scope) ?? []) states[n.name] = buildState(n);
    const parts: JsonObject = { ...body };
    if (startEdge) parts.StartAt = startEdge.targetName;
    if (!("States" in body) && (keys.includes("States") || keys.length === 0)) parts.States = states;
    return ordered(parts, keys);
  };

  const buildState = (n: GNode): JsonObject => {
    const s: JsonObject = { ...n.body };
    if (s.Choices && Array.isArray(s.Choices)) s.Choices = s.Choices.map((r) => (isObject(r) ? { ...r } : r));
    if (s.Catch && Array.isArray(s.Catch)) s.Catch = s.Catch.map((c) => (isObject(c) ? { ...c } : c));
    for (const e of outEdges.get(n.id) ?? []) {
      switch (e.kind) {
        case "next":
          s.Next = e.targetName;
          break;
        case "end":
          s.End = true;
          break;
        case "default":
          s.Default = e.targetName;
          break;
        case "choice":
          (s.Choices as JsonObject[])[e.index!].Next = e.targetName;
          break;
        case "catch":
          (s.Catch as JsonObject[])[e.index!].Next = e.targetName;
          break;
        default:
          break;
      }
    }
    const subs = branches.get(n.id) ?? [];
    if (n.type === "Parallel" && subs.length > 0) {
      s.Branches = subs.map((br) => buildScopeObj(br.scope, br.body, br.keys));
    } else if (n.type === "Map" && subs.length > 0) {
      const br = subs[0];
      s[br.name] = buildScopeObj(br.scope, br.body, br.keys);
    }
    for (const key of ["Choices", "Catch"] as const) {
      const list = s[key];
      const orders = n.itemKeys[key];
      if (Array.isArray(list) && orders) s[key] = list.map((item, i) => (isObject(item) && orders[i] ? ordered(item, orders[i]) : item));
    }
    return ordered(s, n.keys);
  };

  return buildScopeObj("", graph.root.body, graph.root.keys);
}

function ordered(obj: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

/** Find the node a diagnostic's JSON pointer points into: the deepest state whose pointer prefixes it. */
export function nodeForPointer(graph: Graph, pointer: string): GNode | null {
  let best: GNode | null = null;
  for (const n of graph.nodes) {
    if (n.kind !== "state") continue;
    if ((pointer === n.id || pointer.startsWith(n.id + "/")) && (!best || n.id.length > best.id.length)) best = n;
  }
  return best;
}

/** Absolute position of a node (summing its containers' positions). */
export function absolutePosition(graph: Graph, id: string): { x: number; y: number } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  let x = 0;
  let y = 0;
  let cur = byId.get(id);
  while (cur) {
    x += cur.position?.x ?? 0;
    y += cur.position?.y ?? 0;
    cur = cur.parent ? byId.get(cur.parent) : undefined;
  }
  return { x, y };
}

/** True when some state has no position in the layout. */
export function needsLayout(graph: Graph): boolean {
  return graph.nodes.some((n) => n.kind === "state" && n.position === null);
}

/**
 * When an edit makes a Parallel or Map bigger, move what lies below it (or beside it, to the
 * right) down or across by as much, so that nothing ends up under the grown container.
 */
export function makeRoom(before: Graph, doc: Json, layout: Layout): Layout {
  const prev = new Map(before.nodes.filter((n) => n.kind === "state").map((n) => [n.id, { w: n.width, h: n.height }]));
  let g = aslToGraph(doc, layout);
  const grown = g.nodes
    .filter((c) => c.kind === "state" && c.position && prev.has(c.id) && (c.width > prev.get(c.id)!.w || c.height > prev.get(c.id)!.h))
    .map((c) => c.id)
    .sort((a, b) => b.length - a.length); // innermost first: pushing inside a branch grows its parents
  if (!grown.length) return layout;
  const out: Layout = { ...layout };
  for (const id of grown) {
    const c = g.nodes.find((n) => n.id === id);
    const old = prev.get(id)!;
    if (!c?.position) continue;
    const dh = c.height - old.h;
    const dw = c.width - old.w;
    for (const s of g.nodes) {
      if (s.kind !== "state" || s.scope !== c.scope || s.id === c.id || !s.position) continue;
      const below = s.position.y >= c.position.y + old.h - 1 && s.position.x < c.position.x + c.width && s.position.x + s.width > c.position.x;
      const right = s.position.x >= c.position.x + old.w - 1 && s.position.y < c.position.y + c.height && s.position.y + s.height > c.position.y;
      if (below && dh > 0) out[s.name] = { x: s.position.x, y: s.position.y + dh };
      else if (right && dw > 0) out[s.name] = { x: s.position.x + dw, y: s.position.y };
    }
    g = aslToGraph(doc, out);
  }
  return out;
}
