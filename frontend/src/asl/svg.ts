/** The graph as a standalone SVG picture: boxes, markers, orthogonal arrows and labels. */
import { absolutePosition, type GEdge, type GNode, type Graph } from "./graph";

const COLOURS: Record<string, string> = {
  Task: "#f59e0b", Pass: "#64748b", Choice: "#8b5cf6", Wait: "#0ea5e9", Parallel: "#14b8a6", Map: "#14b8a6", Succeed: "#10b981", Fail: "#ef4444",
};

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function route(e: GEdge, a: Box, b: Box): { d: string; lx: number; ly: number } {
  const side = e.kind === "catch" || e.kind === "default";
  const sx = side ? a.x + a.w : a.x + a.w / 2;
  const sy = side ? a.y + a.h / 2 : a.y + a.h;
  const tx = b.x + b.w / 2;
  const ty = b.y;
  if (ty > sy + 10) {
    const midY = side ? sy : (sy + ty) / 2;
    const d = side ? `M${sx},${sy} H${tx} V${ty}` : `M${sx},${sy} V${midY} H${tx} V${ty}`;
    return { d, lx: (sx + tx) / 2, ly: side ? sy - 4 : midY - 4 };
  }
  // upwards (a loop back): around the right
  const right = Math.max(a.x + a.w, b.x + b.w) + 30;
  return { d: `M${sx},${sy} V${sy + 15} H${right} V${ty - 15} H${tx} V${ty}`, lx: right + 4, ly: (sy + ty) / 2 };
}

export function graphToSvg(graph: Graph, diag: Map<string, number> = new Map()): string {
  const boxes = new Map<string, Box>();
  for (const n of graph.nodes) {
    if (!n.position) continue;
    const p = absolutePosition(graph, n.id);
    boxes.set(n.id, { x: p.x, y: p.y, w: n.width, h: n.height });
  }
  const all = [...boxes.values()];
  if (all.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
  const pad = 40;
  const minX = Math.min(...all.map((b) => b.x)) - pad;
  const minY = Math.min(...all.map((b) => b.y)) - pad;
  const maxX = Math.max(...all.map((b) => b.x + b.w)) + pad + 40;
  const maxY = Math.max(...all.map((b) => b.y + b.h)) + pad;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(maxX - minX)}" height="${Math.ceil(maxY - minY)}" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>`,
    `<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`,
  );
  const draw = (n: GNode) => {
    const b = boxes.get(n.id);
    if (!b) return;
    if (n.kind === "branch") {
      out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="#ffffff" stroke="#94a3b8" stroke-dasharray="5 4"/>`);
      out.push(`<text x="${b.x + 8}" y="${b.y + 14}" font-size="10" fill="#64748b">${esc(n.name.toUpperCase())}</text>`);
    } else if (n.kind === "start") {
      out.push(`<circle cx="${b.x + b.w / 2}" cy="${b.y + b.h / 2}" r="${b.w / 2}" fill="#10b981"/>`);
    } else if (n.kind === "end") {
      out.push(`<circle cx="${b.x + b.w / 2}" cy="${b.y + b.h / 2}" r="${b.w / 2 - 1}" fill="#ffffff" stroke="#0f172a" stroke-width="2"/><circle cx="${b.x + b.w / 2}" cy="${b.y + b.h / 2}" r="${b.w / 2 - 6}" fill="#0f172a"/>`);
    } else if (n.kind === "missing") {
      out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="#fef2f2" stroke="#dc2626" stroke-dasharray="5 4" stroke-width="2"/>`);
      out.push(`<text x="${b.x + 12}" y="${b.y + 24}" font-size="13" font-weight="bold" fill="#0f172a">${esc(n.name)}</text><text x="${b.x + 12}" y="${b.y + 40}" font-size="11" fill="#64748b">missing state</text>`);
    } else {
      const container = n.type === "Parallel" || n.type === "Map";
      const colour = COLOURS[n.type ?? ""] ?? "#94a3b8";
      out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${container ? "#f0fdfa" : "#ffffff"}" stroke="${container ? "#99f6e4" : "#cbd5e1"}"/>`);
      out.push(`<rect x="${b.x}" y="${b.y}" width="5" height="${b.h}" rx="2" fill="${colour}"/>`);
      out.push(`<text x="${b.x + 14}" y="${b.y + (container ? 24 : 24)}" font-size="13" font-weight="bold" fill="#0f172a">${esc(n.name)}</text>`);
      out.push(`<text x="${b.x + 14}" y="${b.y + 40}" font-size="11" fill="#64748b">${esc(container ? "" : (n.type ?? ""))}</text>`);
      const problems = diag.get(n.id);
      if (problems) out.push(`<circle cx="${b.x + b.w}" cy="${b.y}" r="9" fill="#dc2626"/><text x="${b.x + b.w}" y="${b.y + 4}" font-size="11" font-weight="bold" fill="#fff" text-anchor="middle">${problems}</text>`);
    }
  };
  // containers first so that what they hold is drawn over them
  for (const n of graph.nodes) if (n.kind === "branch" || (n.kind === "state" && (n.type === "Parallel" || n.type === "Map"))) draw(n);
  for (const e of graph.edges) {
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (!a || !b) continue;
    const r = route(e, a, b);
    const colour = e.kind === "catch" ? "#ef4444" : e.kind === "choice" || e.kind === "default" ? "#7c3aed" : "#64748b";
    out.push(`<path d="${r.d}" fill="none" stroke="${colour}" stroke-width="1.5"${e.kind === "catch" ? ' stroke-dasharray="6 4"' : ""} marker-end="url(#arrow)"/>`);
    if (e.label) out.push(`<text x="${r.lx}" y="${r.ly}" font-size="10" fill="${colour}" text-anchor="middle" paint-order="stroke" stroke="#ffffff" stroke-width="3">${esc(e.label)}</text>`);
  }
  for (const n of graph.nodes) if (!(n.kind === "branch" || (n.kind === "state" && (n.type === "Parallel" || n.type === "Map")))) draw(n);
  out.push("</svg>");
  return out.join("\n");
}
