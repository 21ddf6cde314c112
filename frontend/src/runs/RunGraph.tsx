/** The workflow's graph, read-only, each state coloured by how it ran. */
import { useMemo } from "react";
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, ReactFlowProvider, type Edge, type Node, type NodeProps, type NodeTypes } from "@xyflow/react";
import type { GEdge, GNode, Graph } from "../asl/graph";
import { nodeTypes as designerNodeTypes } from "../designer/nodes";
import { BreakpointDot } from "./BreakpointPanel";
import type { ChildrenPage, LiveHere } from "../api/runs";
import { hereLabel, liveHere, liveStatus, STATUS_LABELS, type RunStatus, type StateRun } from "./status";

interface RunNodeData extends Record<string, unknown> {
  g: GNode;
  status: RunStatus;
  run: StateRun | null;
  /** the running Map or Parallel: its child executions, live */
  live: ChildrenPage | null;
  /** a state inside the running Map or Parallel: its children in it now, or paused before it */
  here: LiveHere | null;
}
type RunNode = Node<RunNodeData>;

const ICONS: Record<string, string> = {
  Task: "⚙", Pass: "→", Choice: "◇", Wait: "◔", Parallel: "≡", Map: "↻", Succeed: "✓", Fail: "✕",
};

function subtitle(d: RunNodeData): string {
  const visits = d.run?.visits.length ?? 0;
  const p = d.run?.progress;
  const parts = [STATUS_LABELS[d.status]];
  const live = d.live;
  if (live) parts.push(`${live.done} of ${live.total} done, ${live.failed} failed, ${live.running} running`);
  else if (p) parts.push(`${p.done}${p.total !== null ? `/${p.total}` : ""} iterations${p.failed ? `, ${p.failed} failed` : ""}`);
  else if (visits > 1) parts.push(`×${visits}`);
  const attempts = d.run?.visits.reduce((a, v) => a + Math.max(0, v.attempts - 1), 0) ?? 0;
  if (attempts) parts.push(`${attempts} retr${attempts === 1 ? "y" : "ies"}`);
  return parts.join(" · ");
}

/** "3 here": how many of the running Map's iterations (or branches) are in this state now. */
function HereBadge({ name, here }: { name: string; here: LiveHere | null }) {
  const label = hereLabel(here ?? undefined);
  if (!label) return null;
  return (
    <span className={`live-here${here && !here.running ? " paused-only" : ""}`} data-testid={`live-here-${name}`} title={`Iterations or branches in ${name} now: ${label}`}>
      {label}
    </span>
  );
}

function RunStateNode({ data, selected }: NodeProps<RunNode>) {
  const { g } = data;
  return (
    <div
      className={`state-node run-node run-${data.status} type-${(g.type ?? "unknown").toLowerCase()}${selected ? " selected" : ""}`}
      data-testid={`run-state-${g.name}`}
      data-status={data.status}
      title={`${g.name}: ${STATUS_LABELS[data.status]}`}
    >
      <Handle type="target" position={Position.Top} id="in" isConnectable={false} className="handle" />
      <BreakpointDot name={g.name} />
      <HereBadge name={g.name} here={data.here} />
      <span className="state-icon" aria-hidden>{ICONS[g.type ?? ""] ?? "?"}</span>
      <span className="state-text">
        <span className="state-name">{g.name}</span>
        <span className="state-type">{subtitle(data)}</span>
      </span>
      <Handle type="source" position={Position.Bottom} id="next" isConnectable={false} className="handle" />
      <Handle type="source" position={Position.Right} id="catch" isConnectable={false} className="handle" />
      <Handle type="source" position={Position.Right} id="default" isConnectable={false} className="handle" />
      <Handle type="source" position={Position.Bottom} id="choice" isConnectable={false} className="handle" />
    </div>
  );
}

function RunContainerNode({ data, selected }: NodeProps<RunNode>) {
  const { g } = data;
  return (
    <div
      className={`container-node run-node run-${data.status} type-${(g.type ?? "").toLowerCase()}${selected ? " selected" : ""}`}
      style={{ width: g.width, height: g.height }}
      data-testid={`run-state-${g.name}`}
      data-status={data.status}
    >
      <Handle type="target" position={Position.Top} id="in" isConnectable={false} className="handle" />
      <BreakpointDot name={g.name} />
      <HereBadge name={g.name} here={data.here} />
      <div className="container-header">
        <span className="state-icon" aria-hidden>{ICONS[g.type ?? ""]}</span>
        <span className="state-name">{g.name}</span>
        <span className="state-type" data-testid={data.live ? `live-progress-${g.name}` : undefined} title={subtitle(data)}>{subtitle(data)}</span>
      </div>
      <Handle type="source" position={Position.Bottom} id="next" isConnectable={false} className="handle" />
      <Handle type="source" position={Position.Right} id="catch" isConnectable={false} className="handle" />
    </div>
  );
}

const nodeTypes = {
  ...designerNodeTypes,
  state: RunStateNode,
  container: RunContainerNode,
} as unknown as NodeTypes;

function handleFor(e: GEdge): string {
  if (e.kind === "start") return "out";
  if (e.kind === "end" || e.kind === "next") return "next";
  return e.kind;
}

export function Legend() {
  return (
    <ul className="run-legend" aria-label="Legend">
      {(Object.keys(STATUS_LABELS) as RunStatus[]).map((s) => (
        <li key={s}>
          <span className={`swatch run-${s}`} aria-hidden />
          {STATUS_LABELS[s]}
        </li>
      ))}
    </ul>
  );
}

export function RunGraph({ graph, states, selected, onSelect, liveChildren }: { graph: Graph; states: Map<string, StateRun>; selected: string | null; onSelect: (name: string | null) => void; liveChildren?: ChildrenPage | null }) {
  // the children the execution waits for belong to the Map or Parallel the server names
  const liveOwner = liveChildren?.live ? liveChildren.state : null;
  const here = useMemo(() => liveHere(liveChildren), [liveChildren]);
  const nodes = useMemo<RunNode[]>(
    () =>
      graph.nodes.map((n) => {
        const run = n.kind === "state" ? (states.get(n.name) ?? null) : null;
        const container = n.kind === "state" && (n.type === "Parallel" || n.type === "Map");
        const at = n.kind === "state" ? here.get(n.name) : undefined;
        const status = liveStatus(run?.status ?? "not-run", at);
        return {
          id: n.id,
          type: n.kind === "state" ? (container ? "container" : "state") : n.kind,
          position: n.position ?? { x: 0, y: 0 },
          parentId: n.parent ?? undefined,
          width: n.width,
          height: n.height,
          data: { g: n, status, run, live: n.kind === "state" && n.name === liveOwner ? (liveChildren ?? null) : null, here: at ?? null, errors: 0, warnings: 0, diff: null, readOnly: true, isStart: false, summary: "" },
          draggable: false,
          connectable: false,
          selectable: n.kind === "state",
          selected: n.kind === "state" && n.name === selected,
          hidden: !n.position && n.kind !== "state" ? true : undefined,
          ariaLabel: n.kind === "state" ? `${n.type} state ${n.name}: ${STATUS_LABELS[status]}${at ? ` (${hereLabel(at)})` : ""}` : undefined,
        } satisfies RunNode;
      }),
    [graph.nodes, states, selected, liveOwner, liveChildren, here],
  );
  const ran = useMemo(() => {
    const s = new Set<string>();
    for (const [name, r] of states) if (r.visits.length) s.add(name);
    return s;
  }, [states]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph.nodes]);
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => {
        const src = byId.get(e.source);
        const taken = !!src && src.kind === "state" && ran.has(src.name) && (e.targetName ? ran.has(e.targetName) : true);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          sourceHandle: handleFor(e),
          targetHandle: "in",
          label: e.label ?? undefined,
          type: "smoothstep",
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          className: `edge-${e.kind}${taken ? " edge-taken" : ""}`,
          selectable: false,
          deletable: false,
        };
      }),
    [graph.edges, byId, ran],
  );
  return (
    <div className="run-canvas" data-testid="run-graph">
      <ReactFlowProvider>
        <ReactFlow<RunNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
          minZoom={0.1}
          maxZoom={2}
          onNodeClick={(_, n) => n.data.g.kind === "state" && onSelect(n.data.g.name)}
          onPaneClick={() => onSelect(null)}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
