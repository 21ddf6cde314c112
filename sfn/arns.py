"""ARNs on the Step Functions endpoint.

Each team is a fake AWS account whose id is the team's id, zero-padded to twelve digits (team 42 is
account 000000000042). The region is the one the caller signs for; state machines are not regional here,
so every region shows the same ones. A state machine's name is its workflow's name:

    arn:aws:states:<region>:<account>:stateMachine:<name>             the state machine (its latest version)
    arn:aws:states:<region>:<account>:stateMachine:<name>:<number>    a version
    arn:aws:states:<region>:<account>:stateMachine:<name>:<alias>     an alias
    arn:aws:states:<region>:<account>:execution:<name>:<execution>    an execution
    arn:aws:states:<region>:<account>:activity:<name>                 an activity
"""

from __future__ import annotations

from dataclasses import dataclass


def account_for(team_id: int) -> str:
    return f"{team_id:012d}"


def team_of_account(account: str) -> int | None:
    return int(account) if len(account) == 12 and account.isdigit() else None


def prefix(region: str, team_id: int) -> str:
    return f"arn:aws:states:{region}:{account_for(team_id)}"


def state_machine(region: str, team_id: int, name: str, qualifier: str | int | None = None) -> str:
    arn = f"{prefix(region, team_id)}:stateMachine:{name}"
    return arn if qualifier is None else f"{arn}:{qualifier}"


def execution(region: str, team_id: int, machine: str, name: str) -> str:
    return f"{prefix(region, team_id)}:execution:{machine}:{name}"


def express_execution(region: str, team_id: int, machine: str, name: str, run: str) -> str:
    return f"{prefix(region, team_id)}:express:{machine}:{name}:{run}"


def activity(region: str, team_id: int, name: str) -> str:
    return f"{prefix(region, team_id)}:activity:{name}"


@dataclass(frozen=True)
class Arn:
    region: str
    team_id: int | None
    kind: str  # stateMachine, execution, express, activity, …
    resource: str  # everything after the kind, e.g. "flow:3" or "flow:run-1"


def parse(text: str) -> Arn | None:
    """The parts of a Step Functions ARN, or None when it is not one."""
    if not isinstance(text, str):
        return None
    parts = text.split(":", 6)
    if len(parts) != 7 or parts[0] != "arn" or parts[2] != "states" or not parts[6]:
        return None
    return Arn(region=parts[3], team_id=team_of_account(parts[4]), kind=parts[5], resource=parts[6])
