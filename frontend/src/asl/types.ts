/** Minimal structural types for an ASL document. Everything is kept as plain JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Parallel", "Map", "Succeed", "Fail"] as const;
export type StateType = (typeof STATE_TYPES)[number];

export type Format = "json" | "yaml";

/** A state's location: the JSON pointer of its States map plus its name. */
export interface StateRef {
  /** JSON pointer of the scope object holding StartAt/States: "" for the machine, "/States/P/Branches/0" ... */
  scope: string;
  name: string;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function statePointer(ref: StateRef): string {
  return `${ref.scope}/States/${escapePointer(ref.name)}`;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(unescapePointer);
}

export function getAt(doc: Json, pointer: string): Json | undefined {
  let cur: Json | undefined = doc;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur)) cur = cur[token];
    else return undefined;
  }
  return cur;
}

/** Scopes (StartAt/States holders) nested in a state: Parallel branches, Map processors. */
export function childScopes(state: JsonObject, pointer: string): string[] {
  const out: string[] = [];
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    state.Branches.forEach((_b, i) => out.push(`${pointer}/Branches/${i}`));
  }
  if (state.Type === "Map") {
    if (isObject(state.ItemProcessor)) out.push(`${pointer}/ItemProcessor`);
    else if (isObject(state.Iterator)) out.push(`${pointer}/Iterator`);
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  const bk = Object.keys(bo);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
