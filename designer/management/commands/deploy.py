"""python manage.py deploy WORKFLOW --connection NAME [--version N] [--yes]: the plan, then the deploy."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from designer.aws import services
from designer.aws.models import AwsConnection
from designer.errors import ServiceError
from designer.models import Workflow


class Command(BaseCommand):
    help = "Deploy a workflow's version to AWS Step Functions through one of its team's AWS connections."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version is the workflow's version number, not Django's; let it replace the base option.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow", help="The workflow's id or name (a name must be unique across teams).")
        parser.add_argument("--connection", required=True, help="The name of an AWS connection of the workflow's team.")
        parser.add_argument("--version", type=int, help="The version number (default: the latest).")
        parser.add_argument("--yes", action="store_true", help="Deploy without asking.")
        parser.add_argument("--name", default="", help="The state machine's name (default: from the workflow's).")
        parser.add_argument(
            "--type", default="", choices=["STANDARD", "EXPRESS"], help="Default: as deployed, else STANDARD."
        )
        parser.add_argument("--role-arn", default="", help="The execution role.")
        parser.add_argument(
            "--create-role", action="store_true", help="Create or update the role with the generated policy."
        )
        parser.add_argument("--alias", default="", help="Point this alias at the published version.")
        parser.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE")

    def _workflow(self, reference: str) -> Workflow:
        live = Workflow.objects.filter(deleted_at__isnull=True).select_related("team")
        if reference.isdigit() and live.filter(pk=int(reference)).exists():
            return live.get(pk=int(reference))
        found = list(live.filter(name=reference))
        if not found:
            raise CommandError(f"No workflow {reference!r}.")
        if len(found) > 1:
            ids = ", ".join(f"{w.pk} ({w.team.name})" for w in found)
            raise CommandError(f"Several teams have a workflow {reference!r}; give its id: {ids}.")
        return found[0]

    def handle(self, *args, **opts) -> None:
        workflow = self._workflow(opts["workflow"])
        connection = AwsConnection.objects.filter(team=workflow.team, name=opts["connection"]).first()
        if connection is None:
            names = ", ".join(workflow.team.aws_connections.values_list("name", flat=True)) or "none"
            raise CommandError(f"{workflow.team.name} has no AWS connection {opts['connection']!r} (it has: {names}).")
        tags = {}
        for item in opts["tag"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"--tag takes KEY=VALUE, not {item!r}.")
            tags[key] = value
        options = services.DeployOptions(
            name=opts["name"],
            type=opts["type"],
            role_arn=opts["role_arn"],
            create_role=opts["create_role"],
            alias=opts["alias"],
            tags=tags,
        )
        try:
            plan = services.plan_deploy_unchecked(
                workflow=workflow, connection=connection, version=opts["version"], options=options
            )
        except ServiceError as error:
            raise CommandError(f"{error.message} [{error.code}]")
        self._show(plan)
        if plan["already_deployed"]:
            self.stdout.write("Nothing to change: AWS holds this version already.")
        if not opts["yes"] and not plan["already_deployed"]:
            answer = input("Deploy? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                raise CommandError("Not deployed.")
        try:
            deployment = services.deploy(
                user=None, workflow=workflow, connection=connection, version=plan["version"], options=options
            )
        except ServiceError as error:
            deployment_id = error.details.get("deployment") if isinstance(error.details, dict) else None
            raise CommandError(f"Deploy {deployment_id} failed: {error.message} [{error.code}]")
        self.stdout.write(
            self.style.SUCCESS(
                f"Deployment {deployment.pk}: {deployment.get_outcome_display()} — {deployment.state_machine_arn}"
                + (f" (version {deployment.state_machine_version_arn})" if deployment.state_machine_version_arn else "")
            )
        )

    def _show(self, plan: dict) -> None:
        write = self.stdout.write
        write(
            f"{plan['action'].capitalize()} {plan['state_machine_arn']} ({plan['type']}) from version {plan['version']}"
        )
        write(f"Role: {plan['role']['arn']}" + (" (created or updated)" if plan["role"]["create"] else ""))
        diff = plan["diff"]
        if diff:
            for label in ("added", "removed"):
                if diff[label]:
                    write(f"  states {label}: {', '.join(diff[label])}")
            for change in diff["changed"]:
                write(f"  state changed: {change['state']} ({len(change['changes'])} field(s))")
            for change in diff["top_level"]:
                write(f"  changed: {change['pointer']}")
        if plan["changes"] and plan["action"] == "update":
            write(f"Changes: {', '.join(plan['changes'])}")
        for warning in plan["warnings"]:
            write(self.style.WARNING(f"Warning: {warning}"))
        if plan["role"]["create"]:
            write("Role policy:\n" + json.dumps(plan["policy"], indent=2))
