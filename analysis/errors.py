"""Exception types raised by :mod:`analysis`, all in this one module.

Every error the package raises on purpose derives from :class:`NewsdeskError`, so a caller
(the batch runner, a widget callback) can catch the package's own failures without hiding
programming errors. Input errors also derive from the built-in type a caller would expect::

    NewsdeskError
    ├── SeedFormatError (ValueError)      a seed file breaks a rule: path, line, rule, detail
    ├── GoldFormatError (ValueError)      a gold.jsonl record is malformed or fits no article
    ├── AliasFileError (ValueError)       an alias CSV is malformed (path and line in the message)
    ├── ConllFormatError (ValueError)     a CoNLL-2003 NER file has a line that is not token ... tag
    ├── UnknownLabelError (ValueError)    a label filter names no entity label of the pipeline
    ├── InvalidOrderError (ValueError)    an order is not a permutation of the article's sentences
    ├── ModelNotFoundError (LookupError)  a spaCy pipeline or a bundled model file is missing
    ├── ModelMismatchError (ValueError)   a stored model's columns are not the ones the code computes
    ├── UnknownMethodError (KeyError)     a registry holds no such name
    ├── PluginLoadError                   a chosen entry-point plugin failed to import
    ├── BatchLocked                       another batch writes the reports folder: folder, pid
    ├── JobTimeout                        a notebook overran its timeout and was stopped
    ├── KernelDied                        the kernel exited while running a notebook
    ├── WarmUpError                       a kernel started but could not warm up
    └── UnsafeReportError                 an exported report would hold active content

The modules that raise them import them from here (and their old homes still re-export them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

__all__ = [
    "NewsdeskError",
    "SeedFormatError",
    "GoldFormatError",
    "ModelNotFoundError",
    "ModelMismatchError",
    "UnknownMethodError",
    "PluginLoadError",
    "AliasFileError",
    "ConllFormatError",
    "UnknownLabelError",
    "InvalidOrderError",
    "BatchLocked",
    "JobTimeout",
    "KernelDied",
    "WarmUpError",
    "UnsafeReportError",
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


class ModelMismatchError(NewsdeskError, ValueError):
    """A stored model was trained on other columns than this code computes.

    The model's weights are matched to the code's columns by position, so one renamed, added,
    dropped or reordered column would silently apply every later weight to the wrong value;
    the model is refused instead.

    Attributes:
        path: the model file holding the stored column names.
        expected: the column names this code derives, in order.
        found: the column names stored with the model, in order.
        index: the first position where they differ.

    ``remedy``, if given, ends the message (how to get a model that fits).
    """

    def __init__(self, path: str | Path, expected: Sequence[str], found: Sequence[str], *, remedy: str = "") -> None:
        self.path = Path(path)
        self.expected, self.found = tuple(expected), tuple(found)
        self.index = next(
            (k for k, (e, f) in enumerate(zip(self.expected, self.found)) if e != f),
            min(len(self.expected), len(self.found)),
        )
        want = _column(self.expected, self.index)
        have = _column(self.found, self.index)
        super().__init__(
            f"{self.path}: column {self.index} is {have} in the model but {want} in this code "
            f"(model {len(self.found)} columns, code {len(self.expected)})" + (f"; {remedy}" if remedy else "")
        )


def _column(names: tuple[str, ...], index: int) -> str:
    return repr(names[index]) if index < len(names) else "absent"


class UnknownMethodError(NewsdeskError, KeyError):
    """A registry was asked for a name it does not hold."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class PluginLoadError(NewsdeskError):
    """A name chosen from a registry is another package's entry point, and loading it failed.

    The message is one line (the name, the entry point's ``module:attribute``, its group, the
    cause); the exception it wraps is chained, for whoever debugs the plugin.
    """


class AliasFileError(NewsdeskError, ValueError):
    """An alias data file is malformed (its path and line are in the message)."""


class ConllFormatError(NewsdeskError, ValueError):
    """A CoNLL-2003 NER file has a line that is not ``token ... tag``."""


class UnknownLabelError(NewsdeskError, ValueError):
    """A label filter names a label that is not an entity label of the pipeline."""


class InvalidOrderError(NewsdeskError, ValueError):
    """An order is not a permutation of ``0 .. n-1`` (or two orders cover different sentences)."""


class BatchLocked(NewsdeskError):
    """Another batch holds the reports folder.

    Attributes:
        folder: the reports folder.
        pid: process id of the batch holding it (``None`` if it could not be read).
    """

    def __init__(self, folder: Path, pid: int | None) -> None:
        self.folder, self.pid = folder, pid
        holder = f"PID {pid}" if pid else "another process"
        super().__init__(f"{folder}: another batch ({holder}) is writing these reports; "
                         "wait for it to finish or choose another --out")


class JobTimeout(NewsdeskError):
    """A notebook overran its job's wall-clock ``timeout`` and was stopped."""


class UnsafeReportError(NewsdeskError):
    """An exported report would contain active content (a script, an event handler, a JS URL)."""


class KernelDied(NewsdeskError):
    """The kernel process exited while it was running a notebook (it has been replaced)."""


class WarmUpError(NewsdeskError):
    """The kernel started but could not run the warm-up (e.g. it cannot import ``analysis``)."""
