/** Auto-layout with elkjs: one async pure function from a document to a layout map. */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { aslToGraph, GROUP_HEADER, GROUP_PAD, type Layout } from "./graph";
import type { Json } from "./types";

const elk = new ELK();

const OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.spacing.nodeNode": "40",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.edgeRouting": "ORTHOGONAL",
};

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
    const edges = g.edges.filter((e) => e.scope === scope && ids.has(e.source) && ids.has(e.target));
    const graph: ElkNode = {
      id: `root:${scope}`,
      layoutOptions: OPTIONS,
      children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
      edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
    };
    const out = await elk.layout(graph);
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
