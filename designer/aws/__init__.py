"""AWS: team connections, one-click deploys, imports and drift (issue 6)."""
