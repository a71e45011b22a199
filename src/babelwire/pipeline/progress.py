"""A rich progress display for long runs: one bar per stage."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

STAGE_LABELS = {"poll": "Polling sources", "articles": "Fetching, extracting, translating"}


class RichReporter:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def begin(self, stage: str, total: int) -> None:
        label = STAGE_LABELS.get(stage, stage)
        if stage in self.tasks:
            self.progress.reset(self.tasks[stage], total=total, description=label)
        else:
            self.tasks[stage] = self.progress.add_task(label, total=total)

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], amount)

    def note(self, message: str) -> None:
        self.progress.console.print(message)
