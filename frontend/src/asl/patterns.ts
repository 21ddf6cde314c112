/** The gallery: small, valid starting points. */
import type { JsonObject } from "./types";

export interface Pattern {
  id: string;
  name: string;
  description: string;
  definition: JsonObject;
}

const LAMBDA = "arn:aws:states:::lambda:invoke";

export const PATTERNS: Pattern[] = [
  {
    id: "lambda-retry",
    name: "Lambda with retry",
    description: "Call a function, retry transient errors with back-off, catch the rest.",
    definition: {
      Comment: "Invoke a Lambda function with retries",
      StartAt: "Call function",
      States: {
        "Call function": {
          Type: "Task",
          Resource: LAMBDA,
          Parameters: { FunctionName: "my-function", "Payload.$": "$" },
          ResultSelector: { "body.$": "$.Payload" },
          Retry: [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException", "States.Timeout"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle failure" }],
          Next: "Done",
        },
        "Handle failure": { Type: "Fail", Error: "FunctionFailed", Cause: "The function failed after retries" },
        Done: { Type: "Succeed" },
      },
    },
  },
  {
    id: "fan-out-map",
    name: "Fan-out with Map",
    description: "Process every item of a list in parallel, at most 10 at a time.",
    definition: {
      Comment: "Process each item",
      StartAt: "Process items",
      States: {
        "Process items": {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: 10,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Process item",
            States: { "Process item": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "process-item", "Payload.$": "$" }, OutputPath: "$.Payload", End: true } },
          },
          ResultPath: "$.results",
          Next: "Summarize",
        },
        Summarize: { Type: "Pass", Parameters: { "count.$": "States.ArrayLength($.results)" }, End: true },
      },
    },
  },
  {
    id: "human-approval",
    name: "Human approval (callback)",
    description: "Send a task token for approval and wait for the answer.",
    definition: {
      Comment: "Wait for a person to approve",
      StartAt: "Request approval",
      States: {
        "Request approval": {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/approvals", MessageBody: { "token.$": "$$.Task.Token", "request.$": "$" } },
          TimeoutSeconds: 86400,
          ResultPath: "$.approval",
          Next: "Approved?",
        },
        "Approved?": {
          Type: "Choice",
          Choices: [{ Variable: "$.approval.approved", BooleanEquals: true, Next: "Approved" }],
          Default: "Rejected",
        },
        Approved: { Type: "Succeed" },
        Rejected: { Type: "Fail", Error: "Rejected", Cause: "The request was rejected" },
      },
    },
  },
  {
    id: "saga",
    name: "Saga with compensation",
    description: "Book two things; undo the first if the second fails.",
    definition: {
      Comment: "Saga: book, and compensate on failure",
      StartAt: "Reserve hotel",
      States: {
        "Reserve hotel": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "reserve-hotel", "Payload.$": "$" }, ResultPath: "$.hotel", Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Booking failed" }], Next: "Reserve flight" },
        "Reserve flight": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "reserve-flight", "Payload.$": "$" }, ResultPath: "$.flight", Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Cancel hotel" }], Next: "Booked" },
        "Cancel hotel": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "cancel-hotel", "Payload.$": "$" }, ResultPath: null, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 5 }], Next: "Booking failed" },
        "Booking failed": { Type: "Fail", Error: "BookingFailed" },
        Booked: { Type: "Succeed" },
      },
    },
  },
  {
    id: "polling",
    name: "Polling loop",
    description: "Start a job, wait, check its status until it is done.",
    definition: {
      Comment: "Poll until a job finishes",
      StartAt: "Start job",
      States: {
        "Start job": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "start-job", "Payload.$": "$" }, OutputPath: "$.Payload", Next: "Wait" },
        Wait: { Type: "Wait", Seconds: 30, Next: "Check status" },
        "Check status": { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "job-status", "Payload.$": "$" }, OutputPath: "$.Payload", Next: "Done yet?" },
        "Done yet?": {
          Type: "Choice",
          Choices: [
            { Variable: "$.status", StringEquals: "SUCCEEDED", Next: "Succeeded" },
            { Variable: "$.status", StringEquals: "FAILED", Next: "Job failed" },
          ],
          Default: "Wait",
        },
        Succeeded: { Type: "Succeed" },
        "Job failed": { Type: "Fail", Error: "JobFailed" },
      },
    },
  },
  {
    id: "parallel-etl",
    name: "Parallel ETL",
    description: "Extract from two sources at once, then load.",
    definition: {
      Comment: "Extract in parallel, transform, load",
      StartAt: "Extract",
      States: {
        Extract: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Extract orders", States: { "Extract orders": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "extract-orders" }, End: true } } },
            { StartAt: "Extract customers", States: { "Extract customers": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "extract-customers" }, End: true } } },
          ],
          Next: "Transform and load",
        },
        "Transform and load": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "transform-load" }, End: true },
      },
    },
  },
];
