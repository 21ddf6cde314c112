/**
 * The ASL document as text. The text (JSON or YAML, exactly as written) is the source of truth;
 * edits are applied to the parsed value and written back, keeping YAML comments and key order.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node as YamlNode } from "yaml";
import { deepEqual, isObject, type Format, type Json, type JsonObject } from "./types";

/**
 * YAML 1.1, as the server (PyYAML) and CloudFormation read it: `yes`, `on`, `off` are booleans, so
 * strings like them are written quoted. Unquoted timestamps stay strings (ASL wants strings).
 */
const YAML_OPTIONS = {
  version: "1.1" as const,
  customTags: (tags: Array<{ tag?: string } | string>) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
};

export interface ParseOk {
  ok: true;
  value: Json;
  format: Format;
}
export interface ParseError {
  ok: false;
  format: Format;
  message: string;
  line: number | null;
  column: number | null;
}
export type ParseResult = ParseOk | ParseError;

export function detectFormat(text: string): Format {
  const t = text.trimStart();
  if (t === "" || t.startsWith("{") || t.startsWith("[")) return "json";
  return "yaml";
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export function parseText(text: string, format: Format = detectFormat(text)): ParseResult {
  if (format === "json") {
    try {
      return { ok: true, value: JSON.parse(text) as Json, format };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const m = /position (\d+)/.exec(message);
      const lc = m ? lineColumn(text, Number(m[1])) : null;
      const m2 = /line (\d+) column (\d+)/.exec(message);
      return {
        ok: false,
        format,
        message,
        line: m2 ? Number(m2[1]) : (lc?.line ?? null),
        column: m2 ? Number(m2[2]) : (lc?.column ?? null),
      };
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, ...YAML_OPTIONS } as Parameters<typeof parseDocument>[1]);
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    return {
      ok: false,
      format,
      message: err.message.split("\n")[0],
      line: err.linePos?.[0]?.line ?? null,
      column: err.linePos?.[0]?.col ?? null,
    };
  }
  return { ok: true, value: (doc.toJS() ?? null) as Json, format };
}

/** Serialize a value; for YAML, `previous` text keeps its comments and layout where the value did not change. */
export function serialize(value: Json, format: Format, previous?: string): string {
  if (format === "json") return JSON.stringify(value, null, 2) + "\n";
  if (previous !== undefined && previous.trim() !== "") {
    const doc = parseDocument(previous, YAML_OPTIONS as Parameters<typeof parseDocument>[1]);
    if (doc.errors.length === 0) {
      doc.contents = reconcile(doc, doc.contents as YamlNode | null, value) as typeof doc.contents;
      return doc.toString({ lineWidth: 0 });
    }
  }
  const doc = new Document(value, { version: "1.1" });
  return doc.toString({ lineWidth: 0 });
}

/** Update a YAML node in place so that it represents `value`, keeping unchanged nodes (and their comments). */
function reconcile(doc: Document, node: YamlNode | null, value: Json): YamlNode {
  if (node && deepEqual(node.toJSON(), value)) return node;
  if (isObject(value) && isMap(node)) {
    const map = node as YAMLMap<unknown, unknown>;
    const keys = Object.keys(value);
    // pairs whose key went away: a new key with a similar value is a rename, and keeps the old
    // pair's comments and style
    const gone = map.items.filter((pair) => {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      return !(typeof k === "string" && Object.prototype.hasOwnProperty.call(value, k));
    });
    map.items = map.items.filter((pair) => !gone.includes(pair));
    const existing = new Map<string, (typeof map.items)[number]>();
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      existing.set(String(k), pair);
    }
    const items: typeof map.items = [];
    for (const k of keys) {
      const pair = existing.get(k);
      if (pair) {
        pair.value = reconcile(doc, (pair.value as YamlNode | null) ?? null, value[k]);
        items.push(pair);
      } else {
        const renamed = gone.find((p) => p.value && (p.value as YamlNode).toJSON && sameShape((p.value as YamlNode).toJSON(), value[k]));
        if (renamed) {
          gone.splice(gone.indexOf(renamed), 1);
          if (isScalar(renamed.key)) renamed.key.value = k;
          else renamed.key = doc.createNode(k);
          renamed.value = reconcile(doc, (renamed.value as YamlNode | null) ?? null, value[k]);
          items.push(renamed);
        } else {
          items.push(doc.createPair(k, value[k]) as (typeof map.items)[number]);
        }
      }
    }
    map.items = items;
    return map;
  }
  if (Array.isArray(value) && isSeq(node)) {
    const seq = node as YAMLSeq<unknown>;
    const items: unknown[] = [];
    value.forEach((v, i) => {
      const old = i < seq.items.length ? (seq.items[i] as YamlNode | null) : null;
      items.push(old ? reconcile(doc, old, v) : doc.createNode(v));
    });
    seq.items = items;
    return seq;
  }
  if (isScalar(node) && (value === null || typeof value !== "object")) {
    node.value = value;
    return node;
  }
  const created = doc.createNode(value) as YamlNode;
  if (node && "commentBefore" in node && node.commentBefore) (created as { commentBefore?: string | null }).commentBefore = node.commentBefore;
  return created;
}

/** Equal, or both objects with the same keys (a renamed state whose fields were also edited). */
function sameShape(a: unknown, b: unknown): boolean {
  if (deepEqual(a, b)) return true;
  if (!isObject(a as Json) || !isObject(b as Json)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length > 0 && ka.length === kb.length && ka.every((k) => kb.includes(k)) && (a as JsonObject).Type === (b as JsonObject).Type;
}

/** Convert text between formats. YAML → JSON drops comments (JSON has none). */
export function convert(text: string, to: Format): string | null {
  const parsed = parseText(text);
  if (!parsed.ok) return null;
  return serialize(parsed.value, to);
}
