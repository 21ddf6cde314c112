"""Export a definition in the forms deployment tools take. Pure functions: no Django models here.

- `to_json(definition)`, `to_yaml(definition)`: canonical ASL text.
- `cloudformation_template(definition, options)`, `sam_template(definition, options)`: template
  dicts, rendered by `dump(template, "yaml" | "json")`.
- `terraform_config(definition, options)`: `.tf` text.
- `policy_for(definition, ...)`: the least-privilege IAM policy for the execution role, also used
  by the AWS deploy.
- `export(definition, fmt, options)`: one entry point by format name, for the API and the CLI.
- `import_template(text)`: the state machines of a CloudFormation, SAM or CDK template, with
  deploy-time values kept as `${Name}` placeholders (the way back in).
"""

from __future__ import annotations

from designer.exporters.asl_text import canonical, placeholders, to_json, to_yaml
from designer.exporters.cloudformation import TemplateOptions, cloudformation_template, dump, sam_template
from designer.exporters.iam import policy_for
from designer.exporters.importing import ImportedMachine, TemplateImportError, import_template
from designer.exporters.terraform import terraform_config

FORMATS = {
    "json": ("application/json", "json"),
    "yaml": ("application/yaml", "yaml"),
    "cloudformation": ("application/yaml", "cfn.yaml"),
    "cloudformation-json": ("application/json", "cfn.json"),
    "sam": ("application/yaml", "sam.yaml"),
    "terraform": ("text/plain", "tf"),
    "iam-policy": ("application/json", "policy.json"),
}


def export(definition: dict, fmt: str, options: TemplateOptions | None = None) -> str:
    """The definition rendered in format `fmt` (a key of FORMATS); raises ValueError for an unknown one."""
    options = options or TemplateOptions()
    if fmt == "json":
        return to_json(definition)
    if fmt == "yaml":
        return to_yaml(definition)
    if fmt == "cloudformation":
        return dump(cloudformation_template(definition, options))
    if fmt == "cloudformation-json":
        return dump(cloudformation_template(definition, options), "json")
    if fmt == "sam":
        return dump(sam_template(definition, options))
    if fmt == "terraform":
        return terraform_config(definition, options)
    if fmt == "iam-policy":
        policy = policy_for(
            definition,
            state_machine_name=options.name,
            logging=options.log_level != "OFF",
            tracing=options.tracing,
        )
        return dump(policy, "json")
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "ImportedMachine",
    "TemplateImportError",
    "TemplateOptions",
    "canonical",
    "cloudformation_template",
    "dump",
    "export",
    "import_template",
    "placeholders",
    "policy_for",
    "sam_template",
    "terraform_config",
    "to_json",
    "to_yaml",
]
