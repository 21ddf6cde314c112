/**
 * The designer's state, outside the components. The document text is the source of truth; the
 * parsed value is the last text that parsed (so broken text never throws the graph away).
 */
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import { parseText, serialize } from "../asl/document";
import { aslToGraph, makeRoom, type Graph, type Layout } from "../asl/graph";
import { isObject, type Format, type JsonObject } from "../asl/types";
import type { Diagnostic, Draft, Workflow } from "../api/client";

export type SaveStatus = "saved" | "dirty" | "saving" | "conflict" | "error" | "readonly";

interface Snapshot {
  text: string;
  layout: Layout;
}

export interface DesignerState {
  workflow: Workflow | null;
  readOnly: boolean;
  text: string;
  format: Format;
  doc: JsonObject;
  graph: Graph;
  parseError: { message: string; line: number | null; column: number | null } | null;
  layout: Layout;
  selected: string[];
  diagnostics: Diagnostic[];
  revision: number;
  saveStatus: SaveStatus;
  saveError: string | null;
  conflict: Draft | null;
  /** change counter, bumped by every edit that should be saved */
  changes: number;
  past: Snapshot[];
  future: Snapshot[];
  /** per-state colour when showing a diff on the graph */
  diffMarks: Record<string, "added" | "changed" | "removed"> | null;
  lastEditorPush: number;
  lastCoalesce: { key: string; at: number } | null;
  /** bumped to ask the canvas to fit the view once the new positions are rendered */
  fitRequest: number;
  requestFit(): void;

  load(workflow: Workflow, readOnly: boolean): void;
  setText(text: string, source: "editor" | "program"): void;
  applyEdit(fn: (doc: JsonObject) => JsonObject, layout?: (layout: Layout) => Layout, opts?: { coalesce?: string }): boolean;
  setLayout(layout: Layout, record?: boolean): void;
  setFormat(format: Format): void;
  undo(): void;
  redo(): void;
  select(ids: string[]): void;
  setDiagnostics(d: Diagnostic[]): void;
  setDiffMarks(m: DesignerState["diffMarks"]): void;
  markSaving(): void;
  markSaved(draft: Draft, changesAtSend: number): void;
  markConflict(draft: Draft): void;
  markError(message: string): void;
  resolveConflict(keep: "mine" | "theirs"): void;
}

const HISTORY_LIMIT = 200;
const EMPTY: JsonObject = { StartAt: "", States: {} };

function derive(text: string, prevDoc: JsonObject, layout: Layout) {
  const parsed = parseText(text);
  if (parsed.ok && isObject(parsed.value)) {
    return { doc: parsed.value, format: parsed.format, parseError: null, graph: aslToGraph(parsed.value, layout) };
  }
  const parseError = parsed.ok
    ? { message: "The definition must be an object with StartAt and States", line: 1, column: 1 }
    : { message: parsed.message, line: parsed.line, column: parsed.column };
  return { doc: prevDoc, format: parsed.format, parseError, graph: aslToGraph(prevDoc, layout) };
}

export const designer = createStore<DesignerState>()((set, get) => ({
  workflow: null,
  readOnly: false,
  text: "",
  format: "json",
  doc: EMPTY,
  graph: aslToGraph(EMPTY),
  parseError: null,
  layout: {},
  selected: [],
  diagnostics: [],
  revision: 0,
  saveStatus: "saved",
  saveError: null,
  conflict: null,
  changes: 0,
  past: [],
  future: [],
  diffMarks: null,
  lastEditorPush: 0,
  lastCoalesce: null,
  fitRequest: 0,

  requestFit() {
    set({ fitRequest: get().fitRequest + 1 });
  },

  load(workflow, readOnly) {
    const text = workflow.draft.definition;
    const layout = workflow.draft.layout ?? {};
    const d = derive(text, EMPTY, layout);
    set({
      workflow, readOnly, text, layout, ...d, selected: [], diagnostics: [], revision: workflow.draft.revision,
      saveStatus: readOnly ? "readonly" : "saved", saveError: null, conflict: null, changes: 0, past: [], future: [], diffMarks: null,
    });
  },

  setText(text, source) {
    const s = get();
    if (text === s.text) return;
    const now = Date.now();
    // typing coalesces into one undo step per pause
    const coalesce = source === "editor" && now - s.lastEditorPush < 1000 && s.past.length > 0;
    const past = coalesce ? s.past : [...s.past, { text: s.text, layout: s.layout }].slice(-HISTORY_LIMIT);
    const d = derive(text, s.doc, s.layout);
    set({ text, ...d, past, future: [], changes: s.changes + 1, saveStatus: s.readOnly ? "readonly" : "dirty", lastEditorPush: source === "editor" ? now : 0 });
  },

  applyEdit(fn, layoutFn, opts) {
    const s = get();
    if (s.readOnly) return false;
    const now = Date.now();
    // typing in one form field makes one undo step
    const coalesce = !!opts?.coalesce && s.lastCoalesce?.key === opts.coalesce && now - s.lastCoalesce.at < 1500 && s.past.length > 0;
    const doc = fn(s.doc);
    // a Parallel or Map that grows pushes what is below it out of the way
    const layout = makeRoom(s.graph, doc, layoutFn ? layoutFn(s.layout) : s.layout);
    // keep the text the user wrote when it is broken: edits go onto the last good document
    const base = s.parseError ? undefined : s.text;
    const text = serialize(doc, s.format, base);
    set({
      text, doc, layout, parseError: null, graph: aslToGraph(doc, layout),
      past: coalesce ? s.past : [...s.past, { text: s.text, layout: s.layout }].slice(-HISTORY_LIMIT), future: [],
      changes: s.changes + 1, saveStatus: "dirty", lastEditorPush: 0,
      lastCoalesce: opts?.coalesce ? { key: opts.coalesce, at: now } : null,
    });
    return true;
  },

  setLayout(layout, record = true) {
    const s = get();
    set({
      layout, graph: aslToGraph(s.doc, layout), changes: s.changes + 1, saveStatus: s.readOnly ? "readonly" : "dirty",
      ...(record ? { past: [...s.past, { text: s.text, layout: s.layout }].slice(-HISTORY_LIMIT), future: [] } : {}),
    });
  },

  setFormat(format) {
    const s = get();
    if (format === s.format || s.parseError) return;
    const text = serialize(s.doc, format);
    set({ text, format, past: [...s.past, { text: s.text, layout: s.layout }], future: [], changes: s.changes + 1, saveStatus: s.readOnly ? "readonly" : "dirty" });
  },

  undo() {
    const s = get();
    const prev = s.past[s.past.length - 1];
    if (!prev || s.readOnly) return;
    const d = derive(prev.text, s.doc, prev.layout);
    set({ text: prev.text, layout: prev.layout, ...d, past: s.past.slice(0, -1), future: [{ text: s.text, layout: s.layout }, ...s.future], changes: s.changes + 1, saveStatus: "dirty", lastEditorPush: 0 });
  },

  redo() {
    const s = get();
    const next = s.future[0];
    if (!next || s.readOnly) return;
    const d = derive(next.text, s.doc, next.layout);
    set({ text: next.text, layout: next.layout, ...d, past: [...s.past, { text: s.text, layout: s.layout }], future: s.future.slice(1), changes: s.changes + 1, saveStatus: "dirty", lastEditorPush: 0 });
  },

  select(ids) {
    const cur = get().selected;
    if (cur.length === ids.length && cur.every((x, i) => x === ids[i])) return;
    set({ selected: ids });
  },
  setDiagnostics(diagnostics) {
    set({ diagnostics });
  },
  setDiffMarks(diffMarks) {
    set({ diffMarks });
  },
  markSaving() {
    set({ saveStatus: "saving", saveError: null });
  },
  markSaved(draft, changesAtSend) {
    const s = get();
    set({ revision: draft.revision, saveStatus: s.changes === changesAtSend ? "saved" : "dirty", conflict: null, saveError: null });
  },
  markConflict(draft) {
    set({ saveStatus: "conflict", conflict: draft });
  },
  markError(message) {
    set({ saveStatus: "error", saveError: message });
  },
  resolveConflict(keep) {
    const s = get();
    if (!s.conflict) return;
    if (keep === "theirs") {
      const d = derive(s.conflict.definition, s.doc, s.conflict.layout ?? {});
      set({ text: s.conflict.definition, layout: s.conflict.layout ?? {}, ...d, revision: s.conflict.revision, conflict: null, saveStatus: "saved", past: [], future: [] });
    } else {
      // overwrite: save ours on top of their revision
      set({ revision: s.conflict.revision, conflict: null, saveStatus: "dirty", changes: s.changes + 1 });
    }
  },
}));

export function useDesigner<T>(selector: (s: DesignerState) => T): T {
  return useStore(designer, selector);
}
