"""A plain-text progress bar for long generator runs (one line, redrawn at each per cent)."""

import time
from typing import TextIO

WIDTH = 40


class Progress:
    """Counts steps towards `total` and redraws `[#####.....]  42%  1,234/2,938  12 s`."""

    def __init__(self, out: TextIO | None, total: int) -> None:
        self.out = out
        self.total = max(total, 1)
        self.count = 0
        self.shown = -1
        self.started = time.perf_counter()
        self.terminal = bool(out is not None and getattr(out, "isatty", lambda: False)())

    def step(self, n: int = 1) -> None:
        self.count += n
        percent = self.count * 100 // self.total
        if percent != self.shown:
            self.shown = percent
            self._draw(percent)

    def _draw(self, percent: int) -> None:
        if self.out is None:
            return
        filled = WIDTH * percent // 100
        line = (
            f"[{'#' * filled}{'.' * (WIDTH - filled)}] {percent:3d}%"
            f"  {self.count:,}/{self.total:,}  {time.perf_counter() - self.started:.0f} s"
        )
        if self.terminal:
            self.out.write("\r" + line)
        elif percent % 10 == 0:
            self.out.write(line + "\n")
        self.out.flush()

    def done(self) -> None:
        if self.out is not None and self.terminal:
            self.out.write("\n")
            self.out.flush()
