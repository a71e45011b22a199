"""Runners that move work between stages: embedded (one process) now, Celery later."""
