/** Auto-layout with elkjs: one async pure function from a document to a layout map. */
import type { ELK as ElkApi, ElkNode } from "elkjs/lib/elk-api";
import { aslToGraph, GROUP_HEADER, GROUP_PAD, type Layout } from "./graph";
import type { Json } from "./types";
import type { GEdge, GNode } from "./graph";

let elk: Promise<ElkApi> | null = null;
/** elkjs is 1.4 MB: loaded the first time a scope needs it. */
function getElk(): Promise<ElkApi> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default());
  return elk;
}

const OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.spacing.nodeNode": "40",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.edgeRouting": "ORTHOGONAL",
};

/** Big scopes: fewer crossing-minimisation passes, or elk takes seconds on a 500-state machine. */
const FAST: Record<string, string> = {
  ...OPTIONS,
  "elk.layered.thoroughness": "1",
  "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
};
export const BIG_SCOPE = 120;

function depth(scope: string): number {
  return scope.split("/States/").length;
}

/**
 * Lay out every scope, innermost first (a Parallel or Map is as big as its laid-out branches).
 * Positions are relative to the containing branch, as the graph expects.
 */
export async function autoLayout(doc: Json): Promise<Layout> {
  let layout: Layout = {};
  const scopes = [...new Set(aslToGraph(doc, {}).nodes.map((n) => n.scope))].sort((a, b) => depth(b) - depth(a));
  for (const scope of scopes) {
    const g = aslToGraph(doc, layout);
    const nodes = g.nodes.filter((n) => n.scope === scope && n.kind !== "branch");
    const ids = new Set(nodes.map((n) => n.id));
    let edges = g.edges.filter((e) => e.scope === scope && ids.has(e.source) && ids.has(e.target));
    const big = nodes.length > BIG_SCOPE;
    if (big) {
      // Catch edges to a shared handler span the whole machine and turn into thousands of dummy
      // nodes; keep one per handler that nothing else leads to, so it still sits near a catcher.
      const reached = new Set(edges.filter((e) => e.kind !== "catch").map((e) => e.target));
      edges = edges.filter((e) => {
        if (e.kind !== "catch") return true;
        if (reached.has(e.target)) return false;
        reached.add(e.target);
        return true;
      });
    }
    if (big) {
      layout = { ...layout, ...quickLayered(nodes, edges, scope) };
      continue;
    }
    const graph: ElkNode = {
      id: `root:${scope}`,
      layoutOptions: big ? FAST : OPTIONS,
      children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
      edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
    };
    const out = await (await getElk()).layout(graph);
    const children = out.children ?? [];
    if (children.length === 0) continue;
    const minX = Math.min(...children.map((c) => c.x ?? 0));
    const minY = Math.min(...children.map((c) => c.y ?? 0));
    const dx = scope === "" ? -minX : GROUP_PAD - minX;
    const dy = scope === "" ? -minY : GROUP_HEADER - minY;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const next: Layout = { ...layout };
    for (const c of children) {
      const n = byId.get(c.id);
      if (!n || n.kind !== "state") continue;
      next[n.name] = { x: Math.round((c.x ?? 0) + dx), y: Math.round((c.y ?? 0) + dy) };
    }
    layout = next;
  }
  return layout;
}

const LAYER_GAP = 56;
const NODE_GAP = 40;

/**
 * A layered layout in linear time for big scopes (elk's layered algorithm needs about a second,
 * cold, for 500 states): longest-path layers over the graph less its back edges, one barycentre
 * pass to order each layer, nodes placed under their predecessors without overlaps.
 */
export function quickLayered(nodes: GNode[], edges: GEdge[], scope: string): Layout {
  const ids = nodes.map((n) => n.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) out.get(e.source)?.push(e.target);

  // back edges by an iterative DFS from the start marker, then from anything not reached
  const state = new Map<string, 1 | 2>();
  const back = new Set<string>();
  const order: string[] = [];
  const roots = [ids.find((id) => byId.get(id)!.kind === "start"), ...ids].filter((x): x is string => !!x);
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<[string, number]> = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const succ = out.get(top[0])!;
      if (top[1] < succ.length) {
        const t = succ[top[1]++];
        if (state.get(t) === 1) back.add(`${top[0]}\u0000${t}`);
        else if (!state.has(t)) {
          state.set(t, 1);
          stack.push([t, 0]);
        }
      } else {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  order.reverse(); // a topological order of the graph less its back edges

  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (!back.has(`${e.source}\u0000${e.target}`) && e.source !== e.target) preds.get(e.target)!.push(e.source);
  const layerOf = new Map<string, number>();
  for (const id of order) {
    let l = 0;
    for (const p of preds.get(id)!) l = Math.max(l, (layerOf.get(p) ?? 0) + 1);
    layerOf.set(id, l);
  }
  const layers: string[][] = [];
  for (const id of order) (layers[layerOf.get(id)!] ??= []).push(id);

  const x = new Map<string, number>();
  const y = new Map<string, number>();
  let top = 0;
  for (const layer of layers) {
    if (!layer) continue;
    const want = (id: string) => {
      const ps = preds.get(id)!.filter((p) => x.has(p));
      if (!ps.length) return 0;
      return ps.reduce((a, p) => a + x.get(p)! + byId.get(p)!.width / 2, 0) / ps.length - byId.get(id)!.width / 2;
    };
    const sorted = layer.map((id) => ({ id, w: want(id) })).sort((a, b) => a.w - b.w);
    let right = -Infinity;
    let height = 0;
    for (const { id, w } of sorted) {
      const n = byId.get(id)!;
      const px = Math.max(w, right + NODE_GAP);
      x.set(id, px);
      right = px + n.width;
      height = Math.max(height, n.height);
    }
    for (const id of layer) y.set(id, top + (height - byId.get(id)!.height) / 2);
    top += height + LAYER_GAP;
  }
  const minX = Math.min(...x.values());
  const dx = scope === "" ? -minX : GROUP_PAD - minX;
  const dy = scope === "" ? 0 : GROUP_HEADER;
  const layout: Layout = {};
  for (const n of nodes) {
    if (n.kind !== "state") continue;
    layout[n.name] = { x: Math.round(x.get(n.id)! + dx), y: Math.round(y.get(n.id)! + dy) };
  }
  return layout;
}
