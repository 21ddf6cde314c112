import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { cliLine, connectionBody, endingsText, fieldErrors, formatDueTime, formError, parseInput, scheduleSummary, sfnEndpoint, timeZones, untilText } from "./format";

describe("fieldErrors", () => {
  it("maps details.fields pointers to messages", () => {
    const e = new ApiError(400, "invalid", "bad (at /expression)", { fields: { "/expression": ["Not a cron or rate expression."], timezone: ["Unknown."] } });
    expect(fieldErrors(e)).toEqual({ "/expression": "Not a cron or rate expression.", "/timezone": "Unknown." });
  });
  it("takes details.field of a service error", () => {
    const e = new ApiError(400, "connection_not_found", "No such connection.", { field: "/connection" });
    expect(fieldErrors(e)).toEqual({ "/connection": "No such connection." });
  });
  it("is empty for other errors", () => {
    expect(fieldErrors(new Error("x"))).toEqual({});
    expect(fieldErrors(new ApiError(500, "server_error", "oops", null))).toEqual({});
  });
});

describe("formError", () => {
  it("is null when every field error is shown next to its field", () => {
    const e = new ApiError(400, "invalid", "m", { fields: { "/name": ["Required."] } });
    expect(formError(e, ["/name", "/region"])).toBeNull();
    expect(formError(e, ["/region"])).toBe("m");
  });
  it("shows other messages", () => {
    expect(formError(new ApiError(403, "permission_denied", "Only owners.", null), ["/name"])).toBe("Only owners.");
    expect(formError(new Error("network"), [])).toBe("network");
  });
});

describe("formatDueTime", () => {
  it("formats in the schedule's time zone", () => {
    expect(formatDueTime("2026-01-06T01:00:00+00:00", "Europe/Paris")).toBe("Tue 6 Jan 2026, 02:00 (Europe/Paris)");
    expect(formatDueTime("2026-07-06T12:00:00Z", "UTC")).toBe("Mon 6 Jul 2026, 12:00 (UTC)");
  });
  it("falls back to UTC for an unknown zone and keeps unreadable text", () => {
    expect(formatDueTime("2026-07-06T12:00:00Z", "Mars/Olympus")).toBe("Mon 6 Jul 2026, 12:00 (UTC)");
    expect(formatDueTime("soon", "UTC")).toBe("soon");
  });
});

describe("untilText", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("says how long until a time", () => {
    expect(untilText("2026-01-01T00:00:00Z", now)).toBe("now");
    expect(untilText("2026-01-01T00:00:30Z", now)).toBe("in <1 min");
    expect(untilText("2026-01-01T00:05:00Z", now)).toBe("in 5 min");
    expect(untilText("2026-01-01T03:00:00Z", now)).toBe("in 3 h");
    expect(untilText("2026-01-04T00:00:00Z", now)).toBe("in 3 d");
  });
});

describe("the Step Functions endpoint", () => {
  it("is under the origin", () => {
    expect(sfnEndpoint("https://sw.example.com")).toBe("https://sw.example.com/aws/stepfunctions/");
    expect(sfnEndpoint("http://localhost:8000/")).toBe("http://localhost:8000/aws/stepfunctions/");
  });
  it("has a CLI line", () => {
    expect(cliLine("http://h/aws/stepfunctions/", "STEPABC", "s3cr3t")).toBe(
      "AWS_ACCESS_KEY_ID=STEPABC AWS_SECRET_ACCESS_KEY=s3cr3t aws --region us-east-1 --endpoint-url http://h/aws/stepfunctions/ stepfunctions list-state-machines",
    );
  });
});

describe("connectionBody", () => {
  const base = { name: " prod ", region: "us-east-1", auth_mode: "default" as const, role_arn: "arn", external_id: "x", access_key_id: "AKIA", secret_access_key: "s", endpoint_url: "" };
  it("sends only the fields of the auth mode", () => {
    expect(connectionBody(base)).toEqual({ name: "prod", region: "us-east-1", auth_mode: "default" });
    expect(connectionBody({ ...base, auth_mode: "assume_role" })).toEqual({ name: "prod", region: "us-east-1", auth_mode: "assume_role", role_arn: "arn", external_id: "x" });
    expect(connectionBody({ ...base, auth_mode: "access_key", endpoint_url: "http://localhost:4566" })).toEqual({
      name: "prod", region: "us-east-1", auth_mode: "access_key", access_key_id: "AKIA", secret_access_key: "s", endpoint_url: "http://localhost:4566",
    });
  });
});

describe("schedule helpers", () => {
  it("parses the input box", () => {
    expect(parseInput("")).toEqual({ value: {} });
    expect(parseInput(' {"full": true} ')).toEqual({ value: { full: true } });
    expect("error" in parseInput("{full")).toBe(true);
  });
  it("summarises a schedule", () => {
    expect(scheduleSummary({ enabled: false, missed_count: 4 })).toBe("off");
    expect(scheduleSummary({ enabled: true, missed_count: 0 })).toBe("on");
    expect(scheduleSummary({ enabled: true, missed_count: 3 })).toBe("on · 3 missed");
  });
  it("says an event rule's endings in words, in a fixed order", () => {
    expect(endingsText(["FAILED"])).toBe("failed");
    expect(endingsText(["TIMED_OUT", "FAILED"])).toBe("failed or timed out");
    expect(endingsText(["TIMED_OUT", "FAILED", "SUCCEEDED"])).toBe("succeeded, failed or timed out");
  });
  it("lists time zones with UTC", () => {
    expect(timeZones()).toContain("UTC");
  });
});
