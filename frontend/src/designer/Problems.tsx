/** The problems panel: parse errors and the validator's diagnostics. Clicking one selects its state. */
import { useReactFlow } from "@xyflow/react";
import { absolutePosition, nodeForPointer } from "../asl/graph";
import { designer, useDesigner } from "../store/designer";

export function Problems() {
  const diagnostics = useDesigner((s) => s.diagnostics);
  const parseError = useDesigner((s) => s.parseError);
  const graph = useDesigner((s) => s.graph);
  const flow = useReactFlow();
  const errors = diagnostics.filter((d) => d.severity === "ERROR").length;
  const warnings = diagnostics.length - errors;

  const focus = (location: string, stateName: string | null) => {
    const node = nodeForPointer(graph, location) ?? graph.nodes.find((n) => n.kind === "state" && n.name === stateName) ?? null;
    if (!node) return;
    designer.getState().select([node.id]);
    const p = absolutePosition(graph, node.id);
    void flow.setCenter(p.x + node.width / 2, p.y + node.height / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    requestAnimationFrame(() => {
      const rest = location.slice(node.id.length + 1).split("/")[0];
      const el = rest ? (document.getElementById(`field-${rest}`) as HTMLElement | null) : null;
      el?.focus();
    });
  };

  return (
    <section className="problems" aria-label="Problems" data-testid="problems">
      <header>
        Problems
        <span className={`count ${errors ? "sev-error" : ""}`}>{errors} errors</span>
        <span className={`count ${warnings ? "sev-warning" : ""}`}>{warnings} warnings</span>
      </header>
      <ul>
        {parseError && (
          <li className="sev-error">
            <strong>Syntax</strong> {parseError.message}
            {parseError.line ? ` (line ${parseError.line})` : ""}. The canvas shows the last version that parsed.
          </li>
        )}
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity === "ERROR" ? "sev-error" : "sev-warning"}>
            <button className="problem" onClick={() => focus(d.location ?? "", d.state)}>
              <span className="problem-code">{d.code}</span>
              <span className="problem-message">{d.message}</span>
              <span className="problem-where">{d.state ?? d.location}</span>
            </button>
          </li>
        ))}
        {!parseError && diagnostics.length === 0 && <li className="ok">No problems found.</li>}
      </ul>
    </section>
  );
}
