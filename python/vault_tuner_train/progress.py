"""The progress protocol: one JSON object per line on stdout; everything else goes to stderr.

The daemon reads these lines (their schema is shared/src/api/train-progress.ts). Libraries print
freely, so the command line points sys.stdout at stderr and keeps the real stdout for events only.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from .data_parallel import is_main_process


class Progress:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.started = time.monotonic()
        # Of several data-parallel processes only the first reports: the others take the same steps.
        self.quiet = not is_main_process()

    def emit(self, event: str, **fields: Any) -> None:
        if self.quiet:
            return
        plain = {key: _plain(value) for key, value in fields.items()}
        # Missing and non-finite values are left out: JSON has no NaN, and the schema marks them optional.
        record = {
            "event": event,
            "time": round(time.monotonic() - self.started, 3),
            **{key: value for key, value in plain.items() if value is not None},
        }
        self.stream.write(json.dumps(record, allow_nan=False) + "\n")
        self.stream.flush()

    def counted(self, stage: str, total: int) -> Callable[[int], None]:
        """A stage of `total` parts (batches, chunks): the function it returns reports that part `index`
        (from 1) starts, with the time left at the stage's own pace so far."""
        started = time.monotonic()

        def part(index: int) -> None:
            self.emit("stage", stage=stage, index=index, total=total, eta_s=self.eta(index - 1, total, started))

        return part

    def eta(self, step: int, total: int, since: float | None = None) -> float | None:
        """Seconds left, from the pace so far: since the run started, or since `since` (monotonic time)."""
        if step <= 0 or total <= step:
            return 0.0 if total <= step else None
        elapsed = time.monotonic() - (self.started if since is None else since)
        return round(elapsed / step * (total - step), 1)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def take_stdout() -> TextIO:
    """Keeps the real stdout for events and sends every other print to stderr."""
    real = sys.stdout
    sys.stdout = sys.stderr
    return real
