/** Which state the cursor of the code view is in: the JSON pointer of the path to the cursor. */
import type { EditorState } from "@codemirror/state";
import { ensureSyntaxTree, syntaxTree } from "@codemirror/language";
import type { SyntaxNode } from "@lezer/common";
import { escapePointer } from "../asl/types";

function keyText(state: EditorState, node: SyntaxNode | null): string | null {
  if (!node) return null;
  const raw = state.doc.sliceString(node.from, node.to).trim();
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

/** Tokens of the path (keys and array indexes) from the document's root to `pos`. */
export function pathAt(state: EditorState, pos: number): string[] {
  const tokens: string[] = [];
  const tree = ensureSyntaxTree(state, Math.min(state.doc.length, pos + 1), 50) ?? syntaxTree(state);
  let node: SyntaxNode | null = tree.resolveInner(pos, -1);
  for (; node; node = node.parent) {
    const parent: SyntaxNode | null = node.parent;
    if (node.name === "Property") {
      const k = keyText(state, node.getChild("PropertyName"));
      if (k !== null) tokens.unshift(k);
    } else if (node.name === "Pair") {
      const k = keyText(state, node.getChild("Key"));
      if (k !== null) tokens.unshift(k);
    }
    if (parent && (parent.name === "Array" || parent.name === "BlockSequence" || parent.name === "FlowSequence")) {
      let index = 0;
      for (let c = parent.firstChild; c && c.from < node.from; c = c.nextSibling) {
        if (parent.name === "Array" ? c.name !== "[" && c.name !== "," && c.name !== "]" : c.name === "Item") index++;
      }
      if (parent.name !== "Array" || !["[", ",", "]"].includes(node.name)) tokens.unshift(String(index));
    }
  }
  return tokens;
}

/** The deepest of `ids` (state pointers) that the path at `pos` lies in. */
export function stateAt(state: EditorState, pos: number, ids: Set<string>): string | null {
  const tokens = pathAt(state, pos);
  let best: string | null = null;
  let pointer = "";
  for (const t of tokens) {
    pointer += `/${escapePointer(t)}`;
    if (ids.has(pointer)) best = pointer;
  }
  return best;
}
