"""Stub package: hogql_parser imports posthog.hogql.errors; the simulator is not PostHog."""
