"""Read state machines out of a CloudFormation or SAM template (a CDK `cdk.out` template included).

Every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` becomes an
`ImportedMachine`; a template with several offers them all, for the user to choose. Values the
template computes at deploy time (`Ref`, `Fn::GetAtt`, `Fn::Sub` variables, the `Fn::Join` that CDK
writes) are kept as `${Name}` placeholders, with `substitutions` saying what each one stood for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from asl.validation.loading import load

MACHINE_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


class TemplateImportError(ValueError):
    """The text is not a template, or holds no state machine that can be imported."""


@dataclass
class ImportedMachine:
    logical_id: str
    name: str
    state_machine_type: str
    definition: dict | None
    substitutions: dict[str, Any] = field(default_factory=dict)  # placeholder -> what the template had there
    problem: str | None = None  # why `definition` is None (for example, the definition lives in S3)


def import_template(text: str | bytes | dict) -> list[ImportedMachine]:
    """Every state machine in the template, in template order; raises TemplateImportError."""
    loaded = load(text)
    template = loaded.value
    if not loaded.ok or not isinstance(template, dict):
        reason = loaded.diagnostics[0].message if loaded.diagnostics else "a template is a JSON or YAML object"
        raise TemplateImportError(reason)
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        raise TemplateImportError("The template has no Resources section.")
    machines = [
        _machine(logical_id, resource)
        for logical_id, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") in MACHINE_TYPES
    ]
    if not machines:
        raise TemplateImportError(
            "The template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine."
        )
    return machines


def _machine(logical_id: str, resource: dict) -> ImportedMachine:
    properties = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
    serverless = resource["Type"] == "AWS::Serverless::StateMachine"
    name = properties.get("Name" if serverless else "StateMachineName")
    kind = properties.get("Type" if serverless else "StateMachineType")
    machine = ImportedMachine(
        logical_id=logical_id,
        name=name if isinstance(name, str) else logical_id,
        state_machine_type=kind if kind in ("STANDARD", "EXPRESS") else "STANDARD",
        definition=None,
    )
    placeholders = _Placeholders()
    substitutions = properties.get("DefinitionSubstitutions")
    if isinstance(substitutions, dict):
        machine.substitutions.update(substitutions)
    try:
        if isinstance(properties.get("Definition"), dict):
            machine.definition = placeholders.replace_intrinsics(properties["Definition"])
        elif "DefinitionString" in properties:
            text = placeholders.string(properties["DefinitionString"])
            machine.definition = json.loads(text)
        elif "DefinitionS3Location" in properties or "DefinitionUri" in properties:
            machine.problem = "The definition is stored in S3 (DefinitionS3Location/DefinitionUri); import that file."
        else:
            machine.problem = "The state machine has no Definition or DefinitionString."
    except (json.JSONDecodeError, TemplateImportError) as error:
        machine.problem = f"The definition could not be read: {error}"
    machine.substitutions.update(placeholders.found)
    if machine.definition is not None and not isinstance(machine.definition, dict):
        machine.definition, machine.problem = None, "The definition is not a JSON object."
    return machine


class _Placeholders:
    """Turns deploy-time values into `${Name}` placeholders, remembering what each stood for."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}

    def name_for(self, value: Any) -> str:
        if isinstance(value, dict) and "Ref" in value:
            base = str(value["Ref"])
        elif isinstance(value, dict) and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            parts = target if isinstance(target, list) else str(target).split(".")
            base = "".join(str(p) for p in parts)
        else:
            base = "Value"
        base = re.sub(r"[^A-Za-z0-9_]", "", base.replace("AWS::", "AWS")) or "Value"
        name, number = base, 2
        while name in self.found and self.found[name] != value:
            name, number = f"{base}{number}", number + 1
        self.found[name] = value
        return name

    def string(self, value: Any) -> str:
        """A DefinitionString: a plain string, an Fn::Sub or the Fn::Join CDK writes."""
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Fn::Sub":
                return self.sub(argument)
            if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
                separator, parts = argument
                if isinstance(separator, str) and isinstance(parts, list):
                    return separator.join(self.part(p) for p in parts)
        raise TemplateImportError(f"unsupported DefinitionString form {json.dumps(value)[:80]}")

    def part(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and ("Fn::Sub" in value or "Fn::Join" in value):
            return self.string(value)
        return "${" + self.name_for(value) + "}"

    def sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            return argument  # ${Name} stays a placeholder; the template resolves it
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
            text, variables = argument
            if isinstance(variables, dict):
                for name, value in variables.items():
                    if isinstance(value, str):
                        text = text.replace("${" + name + "}", value)
                    else:
                        self.found[name] = value
            return text
        raise TemplateImportError("Fn::Sub needs a string or [string, variables]")

    def replace_intrinsics(self, value: Any) -> Any:
        """Inside a Definition object: intrinsic functions become placeholders, Fn::Sub strings stay text."""
        if isinstance(value, dict):
            if len(value) == 1:
                ((key, argument),) = value.items()
                if key == "Fn::Sub":
                    return self.sub(argument)
                if key in ("Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Join", "Fn::Select", "Fn::If"):
                    return "${" + self.name_for(value) + "}" if key != "Fn::Join" else self.string(value)
            return {k: self.replace_intrinsics(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.replace_intrinsics(v) for v in value]
        return value
