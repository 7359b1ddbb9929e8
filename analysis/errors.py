"""Exception types raised by :mod:`analysis`.

Every error the package raises on purpose derives from :class:`NewsdeskError`, so a caller
(the batch runner, a widget callback) can catch the package's own failures without hiding
programming errors.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "NewsdeskError",
    "SeedFormatError",
    "GoldFormatError",
    "ModelNotFoundError",
    "UnknownMethodError",
]


class NewsdeskError(Exception):
    """Base class of every error raised on purpose by :mod:`analysis`."""


class SeedFormatError(NewsdeskError, ValueError):
    """A seed file breaks a rule of the seed format.

    Attributes:
        path: the file (``None`` when parsing text that has no file).
        line: 1-based line number the rule concerns (``None`` for whole-file rules).
        rule: short machine-readable name of the broken rule, e.g. ``"date"``.
        detail: human-readable explanation.
    """

    def __init__(self, path: str | Path | None, line: int | None, rule: str, detail: str) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.rule = rule
        self.detail = detail
        where = str(self.path) if self.path is not None else "<text>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: [{rule}] {detail}")


class GoldFormatError(NewsdeskError, ValueError):
    """A ``gold.jsonl`` file (original sentence orders) is malformed or disagrees with its article."""


class ModelNotFoundError(NewsdeskError, LookupError):
    """A spaCy pipeline (or a bundled model file) is not installed where it is looked for."""


class UnknownMethodError(NewsdeskError, KeyError):
    """A registry was asked for a name it does not hold."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""
