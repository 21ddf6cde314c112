// Run one workload on aws-local-stepfunctions and print the measurements as one JSON object.
//
// bench/run.py starts `node bench/peers/als.mjs` once per workload, with the job on stdin:
//   {"definition_text": "...", "input": ..., "reps": 5, "budget_s": 10, "fill_s": 1,
//    "retry_states": ["Attempt"], "wait_states": []}
// "parse" is JSON.parse of the definition text plus `new StateMachine(...)` (which validates the
// definition); "execute" is `run(input).result`. Retry and Wait pauses are overridden to 0 ms, as
// every engine in the bench runs them on virtual time. Times are in seconds, from
// process.hrtime.bigint(); peak memory is the growth of the process's peak RSS (VmHWM) during the first run.
import { readFileSync, writeFileSync } from "node:fs";
import { StateMachine } from "aws-local-stepfunctions";

const job = JSON.parse(readFileSync(0, "utf8"));
const reps = Math.max(1, job.reps ?? 5);
const budgetS = job.budget_s ?? 10;
const fillS = job.fill_s ?? 0;
const maxReps = Math.max(reps, 200);
const overrides = {
  retryIntervalOverrides: Object.fromEntries((job.retry_states ?? []).map((name) => [name, 0])),
  waitTimeOverrides: Object.fromEntries((job.wait_states ?? []).map((name) => [name, 0])),
};

const seconds = (from, to) => Number(to - from) / 1e9;
// Peak RSS growth: on Linux, writing 5 to /proc/self/clear_refs resets the high-water mark (VmHWM)
// to the current RSS, so start-up's own peak does not hide the run's; elsewhere, maxRSS.
let exactPeak = true;
const statusBytes = (field) => Number(readFileSync("/proc/self/status", "utf8").match(new RegExp(`${field}:\\s+(\\d+)`))[1]) * 1024;
function resetPeak() {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return statusBytes("VmRSS");
  } catch {
    exactPeak = false;
    return process.resourceUsage().maxRSS * 1024;
  }
}
const peakBytes = () => (exactPeak ? statusBytes("VmHWM") : process.resourceUsage().maxRSS * 1024);

const report = { engine: "aws-local-stepfunctions", available: true, parse_s: [], exec_s: [], parse_cpu_s: [], exec_cpu_s: [] };
// CPU time of the whole process (V8's GC and compiler threads included), in seconds
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
let baseline = 0;
const start = process.hrtime.bigint();
try {
  // at least `reps` runs (fewer past the budget), then more while the whole stays within fill_s
  for (let k = 0; k < maxReps; k++) {
    const input = structuredClone(job.input);
    if (k === 0) baseline = resetPeak();
    const c0 = cpuSeconds();
    const t0 = process.hrtime.bigint();
    const machine = new StateMachine(JSON.parse(job.definition_text));
    const t1 = process.hrtime.bigint();
    const c1 = cpuSeconds();
    let outcome;
    try {
      outcome = { status: "SUCCEEDED", output: await machine.run(input, { overrides }).result };
    } catch (error) {
      // ExecutionError wraps the runtime error: its name is the ASL error, its message the cause
      const inner = error?.cause ?? error;
      outcome = { status: "FAILED", output: null, error: inner?.name ?? String(error), cause: inner?.message ?? "" };
    }
    const t2 = process.hrtime.bigint();
    const c2 = cpuSeconds();
    report.parse_s.push(seconds(t0, t1));
    report.exec_s.push(seconds(t1, t2));
    report.parse_cpu_s.push(c1 - c0);
    report.exec_cpu_s.push(c2 - c1);
    Object.assign(report, outcome);
    if (k === 0) report.peak_rss_bytes = Math.max(0, peakBytes() - baseline);
    const elapsed = seconds(start, process.hrtime.bigint());
    if (elapsed + seconds(t0, t2) > (k + 1 < reps ? budgetS : fillS)) break;
  }
} catch (error) {
  report.crashed = `${error?.name}: ${error?.message}`;
}
process.stdout.write(JSON.stringify(report));
