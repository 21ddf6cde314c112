/** The graph canvas: React Flow over the graph derived from the document. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  applyNodeChanges,
  Background,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type NodeChange,
  type NodePositionChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { absolutePosition, needsLayout, nodeForPointer, STATE_H, STATE_W, type GEdge, type GNode, type Graph, type Layout } from "../asl/graph";
import { PATTERNS } from "../asl/patterns";
import { addFragment, addState, allStateNames, connect, insertOnEdge, deleteStates, disconnect, paletteItem, setStartAt, uniqueName, usesJsonata, type ConnectKind } from "../asl/edit";
import type { JsonObject } from "../asl/types";
import { designer, useDesigner } from "../store/designer";
import { autoLayout } from "../asl/layout";
import { nodeTypes, type FlowNode } from "./nodes";
import { edgeTypes } from "./edges";
import { stateSummary } from "./summary";

export const DRAG_TYPE = "application/x-stepwright-state";

function handleFor(e: GEdge): string {
  switch (e.kind) {
    case "start":
      return "out";
    case "end":
    case "next":
      return "next";
    default:
      return e.kind;
  }
}

function flowType(n: GNode): string {
  if (n.kind === "state") return n.type === "Parallel" || n.type === "Map" ? "container" : "state";
  return n.kind;
}

export function Canvas({ onError }: { onError: (message: string) => void }) {
  const graph = useDesigner((s) => s.graph);
  const selected = useDesigner((s) => s.selected);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const readOnly = useDesigner((s) => s.readOnly);
  const diffMarks = useDesigner((s) => s.diffMarks);
  const doc = useDesigner((s) => s.doc);
  const flow = useReactFlow();
  // the minimap helps on big machines; on small ones it only hides nodes (toggle in the controls)
  const [miniMap, setMiniMap] = useState<boolean | null>(null);
  const showMiniMap = miniMap ?? graph.nodes.filter((n) => n.kind === "state").length > 15;

  const problems = useMemo(() => {
    const byNode = new Map<string, { errors: number; warnings: number }>();
    const names = new Map(graph.nodes.filter((n) => n.kind === "state").map((n) => [n.name, n.id]));
    for (const d of diagnostics) {
      const id = nodeForPointer(graph, d.location ?? "")?.id ?? (d.state ? names.get(d.state) : undefined);
      if (!id) continue;
      const p = byNode.get(id) ?? { errors: 0, warnings: 0 };
      if (d.severity === "ERROR") p.errors++;
      else p.warnings++;
      byNode.set(id, p);
    }
    return byNode;
  }, [graph, diagnostics]);

  // unchanged nodes keep their object, so React Flow redraws only what an edit touched
  const previous = useRef(new Map<string, { sig: string; node: FlowNode }>());
  const derivedNodes = useMemo<FlowNode[]>(() => {
    const startTargets = new Set(graph.edges.filter((e) => e.kind === "start").map((e) => e.target));
    const cache = previous.current;
    const next = new Map<string, { sig: string; node: FlowNode }>();
    const out = graph.nodes.map((n) => {
      const p = problems.get(n.id);
      const sig = [
        n.kind, n.name, n.type, n.parent, n.position?.x, n.position?.y, n.width, n.height, p?.errors, p?.warnings,
        diffMarks?.[n.name], readOnly, startTargets.has(n.id), selected.includes(n.id), n.kind === "state" ? stateSummary(n) : "",
      ].join("\u0000");
      const hit = cache.get(n.id);
      if (hit && hit.sig === sig) {
        next.set(n.id, hit);
        return hit.node;
      }
      const node = makeNode(n, p);
      next.set(n.id, { sig, node });
      return node;
    });
    previous.current = next;
    return out;

    function makeNode(n: GNode, p: { errors: number; warnings: number } | undefined): FlowNode {
      const isState = n.kind === "state";
      return {
        id: n.id,
        type: flowType(n),
        position: n.position ?? { x: 0, y: 0 },
        parentId: n.parent ?? undefined,
        width: n.width,
        height: n.height,
        data: {
          g: n, errors: p?.errors ?? 0, warnings: p?.warnings ?? 0, diff: diffMarks?.[n.name] ?? null, readOnly,
          isStart: startTargets.has(n.id), summary: isState ? stateSummary(n) : "",
        },
        draggable: isState && !readOnly,
        selectable: isState,
        deletable: isState && !readOnly,
        focusable: isState,
        selected: selected.includes(n.id),
        zIndex: n.kind === "branch" ? 0 : undefined,
        hidden: !n.position && n.kind !== "state" ? true : undefined,
        ariaLabel: isState ? `${n.type} state ${n.name}` : undefined,
      } satisfies FlowNode;
    }
  }, [graph, problems, selected, readOnly, diffMarks]);

  const [nodes, setNodes] = useState<FlowNode[]>(derivedNodes);
  useEffect(() => setNodes(derivedNodes), [derivedNodes]);

  // fit once the positions that asked for it are on screen
  const fitRequest = useDesigner((s) => s.fitRequest);
  const fitted = useRef(fitRequest);
  useEffect(() => {
    if (fitted.current === fitRequest || nodes !== derivedNodes) return;
    fitted.current = fitRequest;
    const id = requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1, duration: 200 }));
    return () => cancelAnimationFrame(id);
  }, [nodes, derivedNodes, fitRequest, flow]);

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: handleFor(e),
        targetHandle: "in",
        label: e.label ?? undefined,
        // labels are drawn above the nodes; plain transitions stay on the lighter built-in edge
        type: e.label ? "labelled" : "smoothstep",
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        className: `edge-${e.kind}`,
        deletable: !readOnly && e.kind !== "start",
        data: { kind: e.kind, index: e.index },
      })),
    [graph.edges, readOnly],
  );

  // states without a position (new ones, or typed into the code) get one from elk
  const layingOut = useRef<string | null>(null);
  useEffect(() => {
    if (!needsLayout(graph)) return;
    const key = JSON.stringify(doc);
    if (layingOut.current === key) return;
    layingOut.current = key;
    const hadAny = Object.keys(designer.getState().layout).length > 0;
    void autoLayout(doc).then((auto) => {
      const s = designer.getState();
      if (s.doc !== doc) return;
      const names = allStateNames(s.doc);
      const merged: Layout = {};
      for (const [k, v] of Object.entries({ ...auto, ...s.layout })) if (names.has(k)) merged[k] = v;
      s.setLayout(merged, false);
      if (!hadAny) s.requestFit();
    });
  }, [graph, doc, flow]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes, ns));
    // a finished move (the end of a drag, or arrow keys on a selected node) goes into the layout
    const moved = changes.filter((c): c is NodePositionChange => c.type === "position" && !!c.position && c.dragging === false);
    if (moved.length) {
      const s = designer.getState();
      const layout: Layout = { ...s.layout };
      for (const c of moved) {
        if (!c.position) continue;
        const n = s.graph.nodes.find((x) => x.id === c.id);
        if (n?.kind === "state") layout[n.name] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
      }
      const changed = moved.some((c) => {
        const n = s.graph.nodes.find((x) => x.id === c.id);
        const old = n ? s.layout[n.name] : undefined;
        return n?.kind === "state" && (!old || layout[n.name].x !== old.x || layout[n.name].y !== old.y);
      });
      if (changed) s.setLayout(layout, true);
    }
  }, []);


  const onSelectionChange = useCallback(({ nodes: sel }: OnSelectionChangeParams) => {
    designer.getState().select(sel.filter((n) => n.type === "state" || n.type === "container").map((n) => n.id));
  }, []);

  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph.nodes]);

  const isValidConnection = useCallback<IsValidConnection>(
    (c) => {
      const src = byId.get(c.source);
      const tgt = byId.get(c.target);
      if (!src || !tgt || tgt.kind !== "state" || src.scope !== tgt.scope) return false;
      return src.kind === "state" || src.kind === "start";
    },
    [byId],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const src = byId.get(c.source);
      const tgt = byId.get(c.target);
      if (!src || !tgt || tgt.kind !== "state") return;
      if (src.scope !== tgt.scope) {
        onError("States can only be connected within the same branch.");
        return;
      }
      try {
        if (src.kind === "start") designer.getState().applyEdit((d) => setStartAt(d, src.scope, tgt.name));
        else designer.getState().applyEdit((d) => connect(d, src.id, tgt.name, (c.sourceHandle ?? "next") as ConnectKind));
      } catch (e) {
        onError(e instanceof Error ? e.message : String(e));
      }
    },
    [byId, onError],
  );

  const onDelete = useCallback(
    ({ nodes: delNodes, edges: delEdges }: { nodes: FlowNode[]; edges: Edge[] }) => {
      const pointers = delNodes.filter((n) => n.data.g.kind === "state").map((n) => n.id);
      const gone = new Set(pointers);
      const edgeRefs = delEdges
        .filter((e) => !gone.has(e.source))
        .map((e) => ({ kind: (e.data as { kind: GEdge["kind"] }).kind, source: e.source, index: (e.data as { index: number | null }).index }))
        .sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
      if (!pointers.length && !edgeRefs.length) return;
      designer.getState().applyEdit((d) => {
        let out = d;
        for (const e of edgeRefs) out = disconnect(out, e);
        return deleteStates(out, pointers);
      });
      designer.getState().select([]);
    },
    [],
  );

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const id = e.dataTransfer.getData(DRAG_TYPE);
      if (designer.getState().readOnly) return;
      if (id.startsWith("pattern:")) {
        e.preventDefault();
        void dropPattern(id.slice("pattern:".length), flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        return;
      }
      const item = paletteItem(id);
      if (!item) return;
      e.preventDefault();
      const pos = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // dropped on a transition: insert the new state into it
      const hit = document.elementsFromPoint(e.clientX, e.clientY).map((el) => el.closest(".react-flow__edge")).find((el) => !!el);
      const edgeId = hit?.getAttribute("data-id") ?? null;
      const edge = edgeId ? designer.getState().graph.edges.find((x) => x.id === edgeId) : undefined;
      dropState(item.id, pos, edge);
    },
    [flow],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        // big machines draw only what is on screen
        onlyRenderVisibleElements={graph.nodes.length > 150}
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        nodesConnectable={!readOnly}
        onInit={(instance) => {
          // a big machine opens at a readable zoom on its start, not as a thumbnail of everything
          const start = graph.nodes.find((n) => n.kind === "start" && n.scope === "");
          const states = graph.nodes.filter((n) => n.kind === "state").length;
          if (states > 40 && start?.position) {
            const el = document.querySelector(".canvas");
            const w = el?.clientWidth ?? 800;
            void instance.setViewport({ x: w / 2 - (start.position.x + 14) * 0.8, y: 40 - start.position.y * 0.8, zoom: 0.8 });
          } else void instance.fitView({ padding: 0.15, maxZoom: 1 });
        }}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false}>
          <ControlButton onClick={() => setMiniMap(!showMiniMap)} title={showMiniMap ? "Hide the minimap" : "Show the minimap"} aria-label="Toggle minimap" aria-pressed={showMiniMap}>
            ▦
          </ControlButton>
        </Controls>
        {showMiniMap && (
          <MiniMap pannable zoomable nodeStrokeWidth={2} style={{ width: 160, height: 110 }} nodeColor={(n) => ((n.data as { g: GNode }).g.kind === "branch" ? "#f1f5f9" : "#cbd5e1")} />
        )}
      </ReactFlow>
    </div>
  );
}

/** The deepest branch (Parallel branch, Map processor) under a point, if any. */
function branchAt(g: Graph, pos: { x: number; y: number }): GNode | null {
  let target: GNode | null = null;
  for (const n of g.nodes) {
    if (n.kind !== "branch" || !n.position) continue;
    const a = absolutePosition(g, n.id);
    if (pos.x >= a.x && pos.x <= a.x + n.width && pos.y >= a.y && pos.y <= a.y + n.height && (!target || n.id.length > target.id.length)) target = n;
  }
  return target;
}

/** Add a pattern from the gallery as a fragment, laid out around the drop point. */
export async function dropPattern(patternId: string, pos: { x: number; y: number }): Promise<void> {
  const pattern = PATTERNS.find((p) => p.id === patternId);
  if (!pattern) return;
  const fragment: JsonObject = { StartAt: pattern.definition.StartAt, States: pattern.definition.States };
  const own = await autoLayout(fragment);
  const s = designer.getState();
  const target = branchAt(s.graph, pos);
  const scope = target?.scope ?? "";
  const origin = target ? absolutePosition(s.graph, target.id) : { x: 0, y: 0 };
  const { doc, renames } = addFragment(s.doc, scope, fragment);
  const top = new Set(Object.keys(fragment.States as JsonObject));
  s.applyEdit(
    () => doc,
    (l) => {
      const out = { ...l };
      for (const [name, p] of Object.entries(own)) {
        const shift = top.has(name) ? { x: pos.x - origin.x - STATE_W / 2, y: pos.y - origin.y } : { x: 0, y: 0 };
        out[renames[name] ?? name] = { x: Math.round(p.x + shift.x), y: Math.round(p.y + shift.y) };
      }
      return out;
    },
  );
}

/** Add a palette item at a flow position, inside the deepest branch under it. */
export function dropState(itemId: string, pos: { x: number; y: number }, onEdge?: GEdge): string | null {
  const item = paletteItem(itemId);
  const s = designer.getState();
  if (!item || s.readOnly) return null;
  const g = s.graph;
  let target = branchAt(g, pos);
  if (onEdge) target = g.nodes.find((n) => n.kind === "branch" && n.scope === onEdge.scope) ?? null;
  const scope = onEdge ? onEdge.scope : (target?.scope ?? "");
  const origin = target ? absolutePosition(g, target.id) : { x: 0, y: 0 };
  const base = item.group === "Flow" ? item.label : item.label.replace(/[:]/g, "").replace(/\s+/g, " ");
  const name = uniqueName(s.doc, base);
  const jsonata = usesJsonata(s.doc, scope === "" ? "" : scope);
  const state: JsonObject = item.make(jsonata);
  s.applyEdit(
    (d) => (onEdge ? insertOnEdge(d, onEdge, name, state) : addState(d, scope, name, state)),
    (l) => ({ ...l, [name]: { x: Math.round(pos.x - origin.x - STATE_W / 2), y: Math.round(pos.y - origin.y - STATE_H / 2) } }),
  );
  s.select([`${scope}/States/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`]);
  return name;
}
