import { describe, expect, it } from "vitest";
import { findDefinitions } from "./importer";

describe("import", () => {
  it("takes ASL JSON and YAML", () => {
    expect(findDefinitions('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}').found).toHaveLength(1);
    expect(findDefinitions("StartAt: A\nStates:\n  A: {Type: Succeed}\n").found[0].definition.StartAt).toBe("A");
  });

  it("finds state machines in a SAM template with CloudFormation tags", () => {
    const sam = `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Role: !GetAtt Role.Arn
      Definition:
        StartAt: Go
        States:
          Go: {Type: Task, Resource: !GetAtt Fn.Arn, End: true}
  Legacy:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: legacy-machine
      DefinitionString: !Sub |
        {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}
`;
    const r = findDefinitions(sam);
    expect(r.error).toBeNull();
    expect(r.found.map((f) => f.name)).toEqual(["Orders", "legacy-machine"]);
    expect(r.found[1].definition.StartAt).toBe("X");
  });

  it("says why it found nothing", () => {
    expect(findDefinitions("{").error).toBeTruthy();
    expect(findDefinitions('{"a": 1}').error).toMatch(/neither/);
    expect(findDefinitions('{"Resources": {}}').error).toMatch(/no state machine/);
  });
});
