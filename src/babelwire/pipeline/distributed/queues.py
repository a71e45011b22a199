"""The queue names, alone in a module so the CLI can list them without importing Redis or Celery."""

from __future__ import annotations

# One queue per kind of work, in pipeline order; a task "babelwire.<queue>_…" goes to <queue>.
QUEUES: tuple[str, ...] = ("poll", "fetch", "extract", "translate", "stories", "review", "publish")
