/** CodeMirror 6 on the document text, JSON or YAML, kept in sync with the store both ways. */
import { useEffect, useRef } from "react";
import { EditorView, basicSetup } from "codemirror";
import { Compartment, EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { indentWithTab } from "@codemirror/commands";
import { designer, useDesigner } from "../store/designer";
import { keyCompletions } from "./schema";
import { stateAt } from "./cursor";

const language = new Compartment();
const editable = new Compartment();

function lineOffset(doc: EditorState["doc"], line: number | null, column: number | null): number {
  if (!line || line < 1 || line > doc.lines) return 0;
  const l = doc.line(line);
  return Math.min(l.from + Math.max(0, (column ?? 1) - 1), l.to);
}

/** Find the text offset of a JSON pointer's key, roughly, by searching for its last key after its parents. */
function pointerOffset(text: string, pointer: string): number {
  let at = 0;
  for (const token of pointer.split("/").slice(1)) {
    if (/^\d+$/.test(token)) continue;
    const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
    const re = new RegExp(`["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*:`, "g");
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) break;
    at = m.index;
  }
  return at;
}

const aslLinter = linter(
  (view) => {
    const s = designer.getState();
    const out: CmDiagnostic[] = [];
    const doc = view.state.doc;
    if (s.parseError) {
      const from = lineOffset(doc, s.parseError.line, s.parseError.column);
      out.push({ from, to: Math.min(from + 1, doc.length), severity: "error", message: s.parseError.message });
      return out;
    }
    const text = doc.toString();
    for (const d of s.diagnostics) {
      const from = d.line ? lineOffset(doc, d.line, d.column) : pointerOffset(text, d.location ?? "");
      const line = doc.lineAt(from);
      out.push({ from, to: line.to, severity: d.severity === "ERROR" ? "error" : "warning", message: `${d.code}: ${d.message}` });
    }
    return out;
  },
  { delay: 200 },
);

function completion(ctx: CompletionContext): CompletionResult | null {
  const word = ctx.matchBefore(/["\w]*/);
  if (!word || (word.from === word.to && !ctx.explicit)) return null;
  const quoted = word.text.startsWith('"');
  return {
    from: word.from,
    options: keyCompletions().map((k) => ({ label: quoted ? `"${k.label}"` : k.label, type: "property", detail: k.detail })),
    validFor: /^["\w]*$/,
  };
}

export function CodeEditor() {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const format = useDesigner((s) => s.format);
  const text = useDesigner((s) => s.text);
  const readOnly = useDesigner((s) => s.readOnly);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const parseError = useDesigner((s) => s.parseError);
  const applying = useRef(false);
  const cursorTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: designer.getState().text,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          language.of(designer.getState().format === "yaml" ? yaml() : json()),
          editable.of([EditorView.editable.of(!designer.getState().readOnly), EditorState.readOnly.of(designer.getState().readOnly)]),
          lintGutter(),
          aslLinter,
          autocompletion({ override: [completion] }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !applying.current) designer.getState().setText(u.state.doc.toString(), "editor");
            // the cursor in the code selects its state on the canvas
            if (u.selectionSet && u.view.hasFocus) {
              clearTimeout(cursorTimer.current);
              cursorTimer.current = setTimeout(() => {
                const s = designer.getState();
                if (s.parseError) return;
                const ids = new Set(s.graph.nodes.filter((n) => n.kind === "state").map((n) => n.id));
                const id = stateAt(u.view.state, u.view.state.selection.main.head, ids);
                if (id && !(s.selected.length === 1 && s.selected[0] === id)) s.select([id]);
              }, 150);
            }
          }),
          EditorView.contentAttributes.of({ "aria-label": "Definition code" }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: language.reconfigure(format === "yaml" ? yaml() : json()) });
  }, [format]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.reconfigure([EditorView.editable.of(!readOnly), EditorState.readOnly.of(readOnly)]) });
  }, [readOnly]);

  // text changed elsewhere (canvas, inspector, undo): apply the smallest change
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur === text) return;
    let start = 0;
    while (start < cur.length && start < text.length && cur[start] === text[start]) start++;
    let endCur = cur.length;
    let endNew = text.length;
    while (endCur > start && endNew > start && cur[endCur - 1] === text[endNew - 1]) {
      endCur--;
      endNew--;
    }
    applying.current = true;
    v.dispatch({ changes: { from: start, to: endCur, insert: text.slice(start, endNew) } });
    applying.current = false;
  }, [text]);

  // selecting a state on the canvas brings its text into view
  const selected = useDesigner((s) => s.selected);
  useEffect(() => {
    const v = view.current;
    if (!v || selected.length !== 1 || v.hasFocus) return;
    const at = pointerOffset(v.state.doc.toString(), selected[0]);
    if (at <= 0) return;
    v.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "start", yMargin: 24 }) });
  }, [selected]);

  // re-run the linter when diagnostics arrive
  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch({});
  }, [diagnostics, parseError]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
