"""Machine-readable results beside a report, so a batch can be aggregated into corpus tables.

Each notebook hands its key tables to :func:`save_results`; DataFrames become CSV, everything
else JSON with sorted keys, so unchanged inputs give byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ._atomic import atomic_write_text

__all__ = ["save_results", "load_results", "collect_results", "stack_results"]


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in a results file")


def save_results(output_dir: str | Path | None, **items: Any) -> list[Path]:
    """Write each keyword item to ``output_dir`` (``name.csv`` for DataFrames, ``name.json`` otherwise).

    Does nothing when ``output_dir`` is ``None`` (interactive use).
    """
    if output_dir is None:
        return []
    folder = Path(output_dir)
    written = []
    for name, value in items.items():
        if isinstance(value, pd.DataFrame):
            written.append(atomic_write_text(folder / f"{name}.csv", value.to_csv(index=False, float_format="%.6g")))
        else:
            text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=_default)
            written.append(atomic_write_text(folder / f"{name}.json", text + "\n"))
    return written


def load_results(folder: str | Path) -> dict[str, Any]:
    """Read back a results folder: name → DataFrame (CSV) or parsed JSON."""
    loaded: dict[str, Any] = {}
    for path in sorted(Path(folder).iterdir()):
        if path.suffix == ".csv":
            loaded[path.stem] = pd.read_csv(path)
        elif path.suffix == ".json":
            loaded[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def collect_results(reports_dir: str | Path, table: str, *, notebook: str = "article_report") -> pd.DataFrame:
    """One corpus table from a batch: ``table.csv`` of every seed's ``notebook`` results, stacked,
    with the seed id in an ``article`` column (seeds without that table are skipped).

    >>> collect_results("reports", "entities")   # every article's entity table
    """
    frames = []
    for path in sorted(Path(reports_dir).glob(f"*/{notebook}.results/{table}.csv")):
        frame = pd.read_csv(path)
        frame.insert(0, "article", path.parent.parent.name)
        frames.append(frame)
    if not frames:
        raise FileNotFoundError(f"no {notebook}.results/{table}.csv under {reports_dir}")
    return pd.concat(frames, ignore_index=True)


def stack_results(
    reports_dir: str | Path, table: str, ids: Iterable[str], *, notebook: str = "article_report"
) -> tuple[pd.DataFrame, list[str]]:
    """``table.csv`` of the given articles' reports, stacked with an ``article`` column, and the
    ids of the articles it cannot use (no such file: their report failed or was never run; or a
    file that does not read as CSV), so a corpus analysis lists what it leaves out instead of
    failing for every article because of one.

    An empty table (an article without mentions) contributes its header only.
    """
    frames, missing = [], []
    for article_id in ids:
        path = Path(reports_dir) / article_id / f"{notebook}.results" / f"{table}.csv"
        try:
            frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
            missing.append(article_id)
            continue
        frame.insert(0, "article", article_id)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["article"]), missing
    return pd.concat(frames, ignore_index=True), missing
