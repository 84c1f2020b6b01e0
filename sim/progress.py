"""Progress of a long command: a bar on a terminal, plain lines in a log.

On a terminal a rich progress bar (cleared when done) appears once the work has
taken `delay` seconds. When stderr is not a terminal (a log file, a pipe, CI) a
plain line is written every 10% of the work or every 30 seconds, whichever comes
first, so a long sweep in a log is never silent until it ends.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Self, TextIO

LINE_EVERY_FRACTION = 0.10
LINE_EVERY_SECONDS = 30.0


class Progress:
    """progress.update(done, total=None, **fields); use as a context manager."""

    def __init__(self, label: str, unit: str, total: int | None = None, *,
                 terminal: bool | None = None, stream: TextIO | None = None,
                 delay: float = 0.0, fields: tuple[str, ...] = ()):
        """Progress of `total` `unit`s (None: unknown), shown as a bar on a terminal, else lines."""
        self.label, self.unit, self.total = label, unit, total
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.delay, self.fields = delay, fields
        self.t0 = time.monotonic()
        self.done = 0
        self.values: dict[str, Any] = {f: 0 for f in fields}
        self._bar = None
        self._task = None
        self._last_line = self.t0
        self._last_fraction = 0.0

    def __enter__(self) -> Self:
        """Return the progress itself."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the progress (see close)."""
        self.close()

    def update(self, done: int, total: int | None = None, description: str | None = None,
               **fields: Any) -> None:
        """Record `done` (and the total, label or fields given) and show it."""
        self.done = done
        if total is not None:
            self.total = total
        if description is not None:
            self.label = description
        self.values.update(fields)
        if self.terminal:
            self._draw_bar()
        else:
            self._maybe_line()

    # ---------------------------------------------------------------- a terminal

    def _draw_bar(self) -> None:
        if self._bar is None:
            if time.monotonic() - self.t0 < self.delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar
            columns = [TextColumn("{task.description}"), BarColumn(),
                       TextColumn("{task.completed}/{task.total} " + self.unit)]
            columns += [TextColumn(f"[red]{{task.fields[{f}]}} {f}") for f in self.fields]
            self._bar = Bar(*columns, TimeRemainingColumn(),
                            console=Console(file=self.stream, stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, **self.values)
        self._bar.update(self._task, completed=self.done, total=self.total,
                         description=self.label, **self.values)

    # ---------------------------------------------------------------- a log

    def _maybe_line(self) -> None:
        now = time.monotonic()
        if now - self.t0 < self.delay:  # short work stays quiet, as on a terminal
            return
        fraction = self.done / self.total if self.total else 0.0
        finished = bool(self.total) and self.done >= self.total and self._last_fraction < 1.0
        due = (bool(self.total) and fraction - self._last_fraction >= LINE_EVERY_FRACTION) or \
            now - self._last_line >= LINE_EVERY_SECONDS or finished
        if not due:
            return
        self._last_line, self._last_fraction = now, fraction
        self.stream.write(self.line(now) + "\n")
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """The plain progress line, e.g. 'sobol: 40/384 runs (10%), 0 failed, 12 s'."""
        elapsed = (now or time.monotonic()) - self.t0
        total = "?" if self.total is None else str(self.total)
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        extra = "".join(f", {v} {k}" for k, v in self.values.items())
        return f"{self.label}: {self.done}/{total} {self.unit}{share}{extra}, {elapsed:.0f} s"

    def close(self) -> None:
        """Stop and clear the bar, if one is shown."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
