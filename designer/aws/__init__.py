"""AWS: team connections, one-click deploys, imports, drift, and executions on AWS (issue 6)."""

# Registers the polling task in every worker: Django imports this package with designer.models.
from designer.aws import tasks as tasks
