"""What every reader returns, and the error a reader raises for a whole input it cannot read."""

from __future__ import annotations

from dataclasses import dataclass, field


class LoadError(Exception):
    """An input that cannot be read; the message is written for a person and lands in the load report."""

    def __init__(self, reason: str, status: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Parsed:
    """Records found in one input and report rows for parts of it that yielded no article.

    ``records`` are dicts with kit column names (``text``, ``title``, ...), each with ``path`` and ``input`` (the
    report row it is counted under). ``notes`` are rows ``(input, status, reason)`` for rows or entries not loaded.
    ``summary`` is a short description of the input (format, number of entries) for the report's reason.
    """

    records: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    summary: str = ""
