/** Node renderers for the canvas: states, Parallel/Map containers, branches, markers, missing targets. */
import { Handle, Position, type NodeProps, type Node } from "@xyflow/react";
import type { GNode } from "../asl/graph";

export interface NodeData extends Record<string, unknown> {
  g: GNode;
  errors: number;
  warnings: number;
  diff: "added" | "changed" | "removed" | null;
  readOnly: boolean;
  isStart: boolean;
  summary: string;
}

export type FlowNode = Node<NodeData>;

const ICONS: Record<string, string> = {
  Task: "⚙", Pass: "→", Choice: "◇", Wait: "◔", Parallel: "≡", Map: "↻", Succeed: "✓", Fail: "✕",
};

function Badge({ errors, warnings }: { errors: number; warnings: number }) {
  if (!errors && !warnings) return null;
  return (
    <span className={`badge ${errors ? "badge-error" : "badge-warning"}`} title={`${errors} errors, ${warnings} warnings`}>
      {errors || warnings}
    </span>
  );
}

function SourceHandles({ g, readOnly }: { g: GNode; readOnly: boolean }) {
  const t = g.type;
  const connectable = !readOnly;
  if (t === "Succeed" || t === "Fail") return null;
  if (t === "Choice") {
    return (
      <>
        <Handle type="source" position={Position.Bottom} id="choice" isConnectable={connectable} className="handle handle-choice" title="Drag to add a rule" />
        <Handle type="source" position={Position.Right} id="default" isConnectable={connectable} className="handle handle-default" title="Drag to set the Default" />
      </>
    );
  }
  return (
    <>
      <Handle type="source" position={Position.Bottom} id="next" isConnectable={connectable} className="handle" title="Drag to set Next" />
      {(t === "Task" || t === "Parallel" || t === "Map") && (
        <Handle type="source" position={Position.Right} id="catch" isConnectable={connectable} className="handle handle-catch" title="Drag to add a Catch" />
      )}
    </>
  );
}

export function StateNode({ data, selected }: NodeProps<FlowNode>) {
  const { g } = data;
  return (
    <div
      className={`state-node type-${(g.type ?? "unknown").toLowerCase()}${selected ? " selected" : ""}${data.diff ? ` diff-${data.diff}` : ""}${data.errors ? " has-errors" : ""}`}
      data-testid={`state-${g.name}`}
      title={data.summary}
    >
      <Handle type="target" position={Position.Top} id="in" isConnectable={!data.readOnly} className="handle" />
      <span className="state-icon" aria-hidden>{ICONS[g.type ?? ""] ?? "?"}</span>
      <span className="state-text">
        <span className="state-name">{g.name}</span>
        <span className="state-type">{data.summary}</span>
      </span>
      <Badge errors={data.errors} warnings={data.warnings} />
      <SourceHandles g={g} readOnly={data.readOnly} />
    </div>
  );
}

export function ContainerNode({ data, selected }: NodeProps<FlowNode>) {
  const { g } = data;
  return (
    <div
      className={`container-node type-${(g.type ?? "").toLowerCase()}${selected ? " selected" : ""}${data.diff ? ` diff-${data.diff}` : ""}${data.errors ? " has-errors" : ""}`}
      style={{ width: g.width, height: g.height }}
      data-testid={`state-${g.name}`}
    >
      <Handle type="target" position={Position.Top} id="in" isConnectable={!data.readOnly} className="handle" />
      <div className="container-header">
        <span className="state-icon" aria-hidden>{ICONS[g.type ?? ""]}</span>
        <span className="state-name">{g.name}</span>
        <span className="state-type">{g.type}</span>
        <Badge errors={data.errors} warnings={data.warnings} />
      </div>
      <SourceHandles g={g} readOnly={data.readOnly} />
    </div>
  );
}

export function BranchNode({ data }: NodeProps<FlowNode>) {
  return (
    <div className="branch-node" style={{ width: data.g.width, height: data.g.height }}>
      <span className="branch-label">{data.g.name}</span>
    </div>
  );
}

export function StartNode() {
  return (
    <div className="marker marker-start" title="Start">
      <Handle type="source" position={Position.Bottom} id="out" className="handle" />
    </div>
  );
}

export function EndNode() {
  return (
    <div className="marker marker-end" title="End">
      <Handle type="target" position={Position.Top} id="in" className="handle" />
    </div>
  );
}

export function MissingNode({ data }: NodeProps<FlowNode>) {
  return (
    <div className="missing-node" title="No state has this name">
      <Handle type="target" position={Position.Top} id="in" isConnectable={false} className="handle" />
      <span className="state-name">{data.g.name}</span>
      <span className="state-type">missing state</span>
    </div>
  );
}

export const nodeTypes = {
  state: StateNode,
  container: ContainerNode,
  branch: BranchNode,
  start: StartNode,
  end: EndNode,
  missing: MissingNode,
};
