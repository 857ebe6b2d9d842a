"""One way to time every path of a benchmark comparison, and to say so next to each figure: the imports a path needs
are done before the clock starts, one untimed warm-up run fills caches and lazy imports, then the best of
``repeat`` timed runs is kept."""

from __future__ import annotations

import os
import time


def timed(work, *, repeat: int = 3, warmup: int = 1) -> tuple[float, object]:
    """Seconds of the fastest of ``repeat`` runs of ``work()`` after ``warmup`` untimed ones, and its last result."""
    result = None
    for _ in range(warmup):
        result = work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def how_timed(repeat: int, warmup: int = 1) -> str:
    """The phrase printed next to each figure timed by :func:`timed`."""
    return f"best of {repeat} after {warmup} warm-up, imports before the clock"


def machine_load() -> str:
    """The load averages and core count, to print with the figures (the machine may be shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} cores"
