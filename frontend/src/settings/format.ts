/** Pure helpers of the settings and triggers screens. */
import { ApiError } from "../api/client";

/** An API error's messages by field: `details.fields` maps JSON pointers (`/expression`) to messages. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const fields = (e.details as { fields?: Record<string, unknown> } | null)?.fields;
  const out: Record<string, string> = {};
  if (fields && typeof fields === "object") {
    for (const [pointer, messages] of Object.entries(fields)) {
      const text = Array.isArray(messages) ? messages.map(String).join(" ") : String(messages);
      out[pointer.startsWith("/") ? pointer : `/${pointer}`] = text;
    }
  }
  const field = (e.details as { field?: unknown } | null)?.field;
  if (typeof field === "string" && !out[field]) out[field] = e.message;
  return out;
}

/** The message to show above a form: nothing when every problem is shown next to its field. */
export function formError(e: unknown, shown: string[]): string | null {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const fields = fieldErrors(e);
  const pointers = Object.keys(fields);
  if (pointers.length > 0 && pointers.every((p) => shown.includes(p))) return null;
  return e.message;
}

/** A due time in the schedule's time zone, e.g. "Tue 6 Jan 2026, 02:00 (Europe/Paris)". */
export function formatDueTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = (zone: string) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d);
  let zone = timeZone || "UTC";
  let list: Intl.DateTimeFormatPart[];
  try {
    list = parts(zone);
  } catch {
    zone = "UTC";
    list = parts(zone);
  }
  const p = Object.fromEntries(list.map((x) => [x.type, x.value])) as Record<string, string>;
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${zone})`;
}

/** How long until `iso` from `now`: "in 5 min", "in 3 h", "in 2 d", "now". */
export function untilText(iso: string, now: Date = new Date()): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (Number.isNaN(ms)) return "";
  if (ms < 60_000) return ms <= 0 ? "now" : "in <1 min";
  const min = Math.round(ms / 60_000);
  if (min < 60) return `in ${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `in ${h} h`;
  return `in ${Math.round(h / 24)} d`;
}

/** The Step Functions endpoint on this server. */
export function sfnEndpoint(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/aws/stepfunctions/`;
}

/** A shell line that lists state machines through the endpoint with a new key. */
export function cliLine(endpoint: string, accessKeyId: string, secret: string, region = "us-east-1"): string {
  return `AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secret} aws --region ${region} --endpoint-url ${endpoint} stepfunctions list-state-machines`;
}

/** The body of a connection for its auth mode: fields of the other modes are left out. */
export function connectionBody(form: {
  name: string;
  region: string;
  auth_mode: "default" | "assume_role" | "access_key";
  role_arn: string;
  external_id: string;
  access_key_id: string;
  secret_access_key: string;
  endpoint_url: string;
}): Record<string, string> {
  const body: Record<string, string> = { name: form.name.trim(), region: form.region.trim(), auth_mode: form.auth_mode };
  if (form.auth_mode === "assume_role") {
    body.role_arn = form.role_arn.trim();
    if (form.external_id) body.external_id = form.external_id;
  }
  if (form.auth_mode === "access_key") {
    body.access_key_id = form.access_key_id.trim();
    body.secret_access_key = form.secret_access_key;
  }
  if (form.endpoint_url.trim()) body.endpoint_url = form.endpoint_url.trim();
  return body;
}

/** A schedule's fixed input from the text box: blank is `{}`; otherwise it must be JSON. */
export function parseInput(text: string): { value: unknown } | { error: string } {
  if (!text.trim()) return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A schedule's state in a few words: "off", "on", "on · 3 missed". */
export function scheduleSummary(s: { enabled: boolean; missed_count: number }): string {
  if (!s.enabled) return "off";
  return s.missed_count > 0 ? `on · ${s.missed_count} missed` : "on";
}

export const END_STATUSES = [
  ["SUCCEEDED", "succeeded"],
  ["FAILED", "failed"],
  ["TIMED_OUT", "timed out"],
] as const;

/** An event rule's endings in words: "failed or timed out". */
export function endingsText(statuses: string[]): string {
  const words = END_STATUSES.filter(([s]) => statuses.includes(s)).map(([, w]) => w);
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** The IANA time zones this browser knows, for the schedule form's suggestions. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    const zones = intl.supportedValuesOf?.("timeZone") ?? [];
    return zones.includes("UTC") ? zones : ["UTC", ...zones];
  } catch {
    return ["UTC"];
  }
}
