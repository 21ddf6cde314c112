"""Team roles, from least to most powerful; each role can do everything the ones below it can."""

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    RUNNER = "runner", "Runner"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


_RANK = {Role.VIEWER: 0, Role.RUNNER: 1, Role.EDITOR: 2, Role.OWNER: 3}


def at_least(role: str | None, required: str) -> bool:
    """True when `role` grants what `required` grants (viewer < runner < editor < owner)."""
    return role is not None and _RANK[Role(role)] >= _RANK[Role(required)]
