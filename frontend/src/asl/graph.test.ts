import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { aslToGraph, graphToAsl, nodeForPointer, needsLayout } from "./graph";
import { autoLayout } from "./layout";
import { deepEqual, type Json } from "./types";

const SHARED = resolve(process.env.STEPWRIGHT_SHARED ?? resolve(__dirname, "../../../../shared"));

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (entry.endsWith(".json") && entry !== "peer-results.json") out.push(p);
  }
  return out.sort();
}

function corpus(): Array<{ file: string; definition: Json }> {
  const files = [...jsonFiles(join(SHARED, "conformance")), ...jsonFiles(join(SHARED, "validation", "valid"))];
  const out: Array<{ file: string; definition: Json }> = [];
  for (const file of files) {
    const c = JSON.parse(readFileSync(file, "utf8")) as { definition?: Json };
    const d = c.definition;
    if (d === undefined || (typeof d === "object" && d !== null && !Array.isArray(d) && "raw" in d)) continue;
    out.push({ file: file.slice(SHARED.length + 1), definition: d });
  }
  return out;
}

const cases = corpus();

describe("ASL → graph → ASL over the shared corpora", () => {
  it.skipIf(!existsSync(SHARED))("finds the corpora", () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  it.skipIf(cases.length === 0)("gives back every definition, keys in order", () => {
    const failures: string[] = [];
    for (const { file, definition } of cases) {
      const back = graphToAsl(aslToGraph(definition, {}));
      if (!deepEqual(back, definition) || JSON.stringify(back) !== JSON.stringify(definition)) failures.push(file);
    }
    expect(failures).toEqual([]);
  });

  it.skipIf(cases.length === 0)("lays out a sample, placing every state", async () => {
    const sample = cases.filter((_c, i) => i % 25 === 0);
    for (const { file, definition } of sample) {
      const layout = await autoLayout(definition);
      const g = aslToGraph(definition, layout);
      expect(needsLayout(g), file).toBe(false);
      expect(graphToAsl(g), file).toEqual(definition);
    }
    // ~45 ELK layouts: seconds on a quiet machine, more on a busy one; vitest's 5 s default is not a bar here
  }, 60_000);
});

const machine: Json = {
  Comment: "example",
  StartAt: "Fetch",
  States: {
    Fetch: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
      Next: "Decide",
    },
    Decide: {
      Type: "Choice",
      Choices: [
        { Variable: "$.n", NumericGreaterThan: 3, Next: "Fan" },
        { And: [{ Variable: "$.s", StringEquals: "a" }, { Variable: "$.b", BooleanEquals: true }], Next: "Each" },
      ],
      Default: "Failed",
    },
    Fan: {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "B", States: { B: { Type: "Wait", Seconds: 1, Next: "C" }, C: { Type: "Succeed" } } },
      ],
      End: true,
    },
    Each: {
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Item", States: { Item: { Type: "Pass", End: true } } },
      Next: "Done",
    },
    Done: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: "Oops" },
  },
};

describe("aslToGraph", () => {
  const g = aslToGraph(machine, {});

  it("labels Choice rules and the Default", () => {
    const choice = g.edges.filter((e) => e.source === "/States/Decide");
    expect(choice.map((e) => [e.kind, e.label, e.targetName])).toEqual([
      ["default", "Default", "Failed"],
      ["choice", "$.n > 3", "Fan"],
      ["choice", '$.s == "a" and $.b == true', "Each"],
    ]);
  });

  it("draws Catch edges labelled with their errors", () => {
    const c = g.edges.find((e) => e.kind === "catch");
    expect(c).toMatchObject({ source: "/States/Fetch", target: "/States/Failed", label: "States.ALL", index: 0 });
  });

  it("nests Parallel branches and Map processors as groups", () => {
    const branches = g.nodes.filter((n) => n.kind === "branch");
    expect(branches.map((b) => [b.id, b.parent])).toEqual([
      ["/States/Fan/Branches/0", "/States/Fan"],
      ["/States/Fan/Branches/1", "/States/Fan"],
      ["/States/Each/ItemProcessor", "/States/Each"],
    ]);
    const c = g.nodes.find((n) => n.name === "C")!;
    expect(c).toMatchObject({ parent: "/States/Fan/Branches/1", scope: "/States/Fan/Branches/1", id: "/States/Fan/Branches/1/States/C" });
  });

  it("has start and end markers in every scope", () => {
    expect(g.nodes.filter((n) => n.kind === "start").map((n) => n.scope)).toEqual([
      "", "/States/Fan/Branches/0", "/States/Fan/Branches/1", "/States/Each/ItemProcessor",
    ]);
    expect(g.edges.filter((e) => e.kind === "end").map((e) => e.source)).toContain("/States/Fan");
  });

  it("shows a missing target as a ghost node", () => {
    const g2 = aslToGraph({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } });
    expect(g2.nodes.find((n) => n.kind === "missing")?.name).toBe("Nowhere");
    expect(graphToAsl(g2)).toEqual({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } });
  });

  it("finds the node for a diagnostic's pointer", () => {
    expect(nodeForPointer(g, "/States/Fetch/Retry/0")?.name).toBe("Fetch");
    expect(nodeForPointer(g, "/States/Fan/Branches/1/States/B/Seconds")?.name).toBe("B");
    expect(nodeForPointer(g, "/StartAt")).toBeNull();
  });

  it("round-trips", () => {
    expect(JSON.stringify(graphToAsl(g))).toBe(JSON.stringify(machine));
  });

  it("auto-lays out nested groups inside their containers", async () => {
    const layout = await autoLayout(machine);
    expect(Object.keys(layout).sort()).toEqual(["A", "B", "C", "Decide", "Done", "Each", "Failed", "Fan", "Fetch", "Item"]);
    const laid = aslToGraph(machine, layout);
    const fan = laid.nodes.find((n) => n.id === "/States/Fan")!;
    const b1 = laid.nodes.find((n) => n.id === "/States/Fan/Branches/1")!;
    expect(fan.width).toBeGreaterThan(b1.width);
    expect(layout.B.y).toBeLessThan(layout.C.y);
    expect(layout.Fetch.y).toBeLessThan(layout.Decide.y);
  });
});

describe("layout of a big machine", () => {
  it("lays out 500 states quickly, layer by layer, without overlaps", async () => {
    const states: Record<string, Json> = {};
    for (let i = 0; i < 500; i++) {
      const next = i < 499 ? `S${i + 1}` : null;
      states[`S${i}`] =
        i % 10 === 3 && i < 498
          ? { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: `S${i + 1}` }], Default: `S${i + 2}` }
          : i % 10 === 7
            ? { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }], ...(next ? { Next: next } : { End: true }) }
            : { Type: "Pass", ...(next ? { Next: next } : { End: true }) };
    }
    states.Failed = { Type: "Fail" };
    const doc: Json = { StartAt: "S0", States: states };
    const t = performance.now();
    const layout = await autoLayout(doc);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(Object.keys(layout)).toHaveLength(501);
    expect(layout.S10.y).toBeGreaterThan(layout.S9.y);
    const boxes = Object.values(layout);
    const key = (p: { x: number; y: number }) => `${p.x},${p.y}`;
    expect(new Set(boxes.map(key)).size).toBe(boxes.length);
    const g = aslToGraph(doc, layout);
    expect(needsLayout(g)).toBe(false);
    expect(graphToAsl(g)).toEqual(doc);
  });
});

describe("graphToSvg", () => {
  it("draws every state, marker and transition label", async () => {
    const { graphToSvg } = await import("./svg");
    const layout = await autoLayout(machine);
    const svg = graphToSvg(aslToGraph(machine, layout));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const name of ["Fetch", "Decide", "Fan", "Each", "Done", "Failed", "Item", "BRANCH 1", "$.n &gt; 3", "Default", "States.ALL"]) expect(svg).toContain(name);
    expect(svg.match(/marker-end/g)?.length).toBe(aslToGraph(machine, layout).edges.length);
  });
});

describe("makeRoom", () => {
  it("pushes what is below a grown Parallel down", async () => {
    const { makeRoom } = await import("./graph");
    const { addState, connect } = await import("./edit");
    const doc = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], Next: "After" },
        After: { Type: "Succeed" },
      },
    } as const;
    const layout = await autoLayout(doc as unknown as Json);
    const before = aslToGraph(doc as unknown as Json, layout);
    const grownDoc = connect(addState(doc as never, "/States/P/Branches/0", "B", { Type: "Pass", End: true }), "/States/P/Branches/0/States/A", "B");
    const withB = { ...layout, B: { x: layout.A.x, y: layout.A.y + 120 } };
    const out = makeRoom(before, grownDoc, withB);
    const grown = aslToGraph(grownDoc, out);
    const p = grown.nodes.find((n) => n.id === "/States/P")!;
    expect(out.After.y).toBeGreaterThanOrEqual(p.position!.y + p.height);
    expect(out.After.y - layout.After.y).toBe(p.height - before.nodes.find((n) => n.id === "/States/P")!.height);
  });
});
