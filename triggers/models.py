"""Schedules, webhooks and event rules that start executions."""
