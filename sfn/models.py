"""Models of the Step Functions API endpoint (access keys, aliases, activities)."""
