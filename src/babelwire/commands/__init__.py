"""The work behind each CLI command, as plain functions the typer wrappers call."""
