"""Create an access key for the Step Functions endpoint from the shell (CI set-ups, `make run` users)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from designer.models import Team
from sfn import services


class Command(BaseCommand):
    help = "Create an access key pair for the Step Functions endpoint; prints it as environment variables."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The key acts as this user, with their role in the team.")
        parser.add_argument("--team", type=int, help="The team's id (default: the user's personal team).")
        parser.add_argument("--name", default="", help="A name to tell keys apart.")

    def handle(self, *args, username: str, team: int | None, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        teams = Team.objects.filter(memberships__user=user)
        chosen = teams.filter(pk=team).first() if team is not None else teams.filter(personal=True).first()
        if chosen is None:
            raise CommandError(f"{username} is not a member of team {team}." if team else f"{username} has no team.")
        key, secret = services.create_access_key(user=user, team=chosen, name=name)
        self.stdout.write(f"export AWS_ACCESS_KEY_ID={key.access_key_id}")
        self.stdout.write(f"export AWS_SECRET_ACCESS_KEY={secret}")
        self.stderr.write(
            f"Team {chosen.name!r} is account {chosen.pk:012d}; point clients at <your server>/aws/stepfunctions/."
        )
