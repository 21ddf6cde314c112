/** Download the graph as an SVG (drawn from the graph itself) or a PNG of that SVG. */
import { graphToSvg } from "../asl/svg";
import type { Graph } from "../asl/graph";

function save(url: string, name: string) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
}

export async function downloadGraphImage(kind: "png" | "svg", graph: Graph, fileBase: string): Promise<void> {
  const svg = graphToSvg(graph);
  const svgUrl = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  if (kind === "svg") {
    save(svgUrl, `${fileBase}.svg`);
    setTimeout(() => URL.revokeObjectURL(svgUrl), 1000);
    return;
  }
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error("could not draw the graph"));
    img.src = svgUrl;
  });
  const scale = Math.min(2, 8000 / Math.max(img.width, img.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(img.width * scale);
  canvas.height = Math.ceil(img.height * scale);
  const ctx = canvas.getContext("2d")!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  URL.revokeObjectURL(svgUrl);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("could not draw the graph");
  const url = URL.createObjectURL(blob);
  save(url, `${fileBase}.png`);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
