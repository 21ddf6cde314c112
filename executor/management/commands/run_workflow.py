"""python manage.py run_workflow WORKFLOW --input FILE|JSON [--version N] [--test-case NAME] [--wait]"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from designer.errors import ServiceError
from designer.models import Workflow
from executor import services
from executor.models import Execution, Status


class Command(BaseCommand):
    help = "Start a local execution of a workflow (by id or name) and optionally wait for it to end."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version is the workflow's version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow", help="The workflow's id, or its name (unique in its team).")
        parser.add_argument("--team", type=int, help="The team's id, when the name is used in several teams.")
        parser.add_argument("--input", default="{}", help="A JSON document, or the path of a file holding one.")
        parser.add_argument("--version", type=int, help="The version to run (default: the latest).")
        parser.add_argument("--test-case", help="Mock the tasks with this test case.")
        parser.add_argument("--name", help="The execution's name (default: a UUID).")
        parser.add_argument("--wait", action="store_true", help="Wait for the end and print the result.")
        parser.add_argument("--timeout", type=float, default=300, help="How long --wait waits, in seconds.")

    def handle(self, *args, **options) -> None:
        workflow = self._workflow(options["workflow"], options["team"])
        version = None
        if options["version"]:
            version = workflow.versions.filter(number=options["version"]).first()
            if version is None:
                raise CommandError(f"{workflow.name} has no version {options['version']}.")
        test_case = None
        if options["test_case"]:
            test_case = workflow.test_cases.filter(name=options["test_case"]).first()
            if test_case is None:
                raise CommandError(f"{workflow.name} has no test case {options['test_case']!r}.")
        try:
            execution = services.start_execution(
                user=None,  # the command line acts as the operator, not as a team member
                workflow=workflow,
                input=self._input(options["input"]),
                version=version,
                name=options["name"],
                test_case=test_case,
            )
        except ServiceError as error:
            raise CommandError(f"{error.message} {json.dumps(error.details) if error.details else ''}".strip())
        self.stderr.write(f"Started execution {execution.pk} ({execution.name}) of {workflow.name}.")
        if options["wait"]:
            self._wait(execution, options["timeout"])

    def _workflow(self, reference: str, team: int | None) -> Workflow:
        live = Workflow.objects.filter(deleted_at__isnull=True)
        if team:
            live = live.filter(team_id=team)
        found = list(live.filter(pk=int(reference))) if reference.isdigit() else list(live.filter(name=reference))
        if not found:
            raise CommandError(f"No workflow {reference!r}.")
        if len(found) > 1:
            raise CommandError(f"Several teams have a workflow named {reference!r}: add --team.")
        return found[0]

    def _input(self, text: str):
        path = Path(text)
        if not text.lstrip().startswith(("{", "[", '"')) and path.is_file():
            text = path.read_text()
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"--input is not JSON: {error.msg} at line {error.lineno}, column {error.colno}.")

    def _wait(self, execution: Execution, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while execution.status == Status.RUNNING:
            if time.monotonic() > deadline:
                raise CommandError(f"Still running after {timeout:g} s.")
            time.sleep(0.2)
            execution.refresh_from_db()
        result = {"status": execution.status, "output": execution.output, "error": execution.error,
                  "cause": execution.cause}  # fmt: skip
        self.stdout.write(json.dumps(result, indent=2))
        if execution.status != Status.SUCCEEDED:
            raise SystemExit(1)
