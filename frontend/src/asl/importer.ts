/**
 * Import: find the state machine definitions in pasted or uploaded text: ASL itself (JSON or YAML),
 * or a CloudFormation / SAM template (Definition, or DefinitionString, also inside Fn::Sub).
 */
import { parseText } from "./document";
import { isObject, type Json, type JsonObject } from "./types";

export interface Found {
  name: string;
  definition: JsonObject;
}

export interface ImportResult {
  found: Found[];
  error: string | null;
}

const MACHINE_TYPES = new Set(["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"]);

function isAsl(v: Json | undefined): v is JsonObject {
  return isObject(v) && isObject(v.States);
}

function fromDefinitionString(v: Json | undefined): JsonObject | null {
  let text: Json | undefined = v;
  if (isObject(text) && "Fn::Sub" in text) {
    const sub = text["Fn::Sub"];
    text = Array.isArray(sub) ? sub[0] : sub;
  }
  if (isObject(text) && "Fn::Join" in text) {
    const join = text["Fn::Join"];
    if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
      text = join[1].map((p) => (typeof p === "string" ? p : "")).join(join[0]);
    }
  }
  if (typeof text !== "string") return null;
  const parsed = parseText(text);
  return parsed.ok && isAsl(parsed.value) ? parsed.value : null;
}

export function findDefinitions(text: string): ImportResult {
  const parsed = parseText(text);
  if (!parsed.ok) return { found: [], error: `${parsed.message}${parsed.line ? ` (line ${parsed.line})` : ""}` };
  const v = parsed.value;
  if (isAsl(v)) return { found: [{ name: typeof v.Comment === "string" && v.Comment ? v.Comment : "Imported workflow", definition: v }], error: null };
  if (isObject(v) && isObject(v.Resources)) {
    const found: Found[] = [];
    for (const [logicalId, res] of Object.entries(v.Resources)) {
      if (!isObject(res) || typeof res.Type !== "string" || !MACHINE_TYPES.has(res.Type)) continue;
      const props = isObject(res.Properties) ? res.Properties : {};
      const def = isAsl(props.Definition) ? props.Definition : fromDefinitionString(props.DefinitionString);
      if (def) found.push({ name: typeof props.StateMachineName === "string" ? props.StateMachineName : logicalId, definition: def });
    }
    if (found.length) return { found, error: null };
    return { found: [], error: "The template has no state machine with an inline Definition or DefinitionString." };
  }
  return { found: [], error: "This is neither an ASL definition (StartAt, States) nor a CloudFormation/SAM template." };
}
