from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from designer import services
from designer.models import Team, Workflow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Command(BaseCommand):
    help = "Load the example workflows into the admin's personal team (those missing only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", default="admin", help="Whose personal team receives them.")

    def handle(self, *args, user: str, **options) -> None:
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user {user!r}: run ensure_admin first.")
        team = Team.objects.filter(personal=True, memberships__user=owner).first()
        loaded = 0
        for path in sorted(EXAMPLES.glob("*.json")):
            name = path.stem.replace("-", " ").capitalize()
            if Workflow.objects.filter(team=team, name=name, deleted_at__isnull=True).exists():
                continue
            workflow = services.create_workflow(
                user=owner, team=team, name=name, tags=["example"], definition=path.read_text(encoding="utf-8")
            )
            services.create_version(user=owner, workflow=workflow, message="Example")
            loaded += 1
        self.stdout.write(f"Loaded {loaded} example workflow(s) into {team.name}.")
