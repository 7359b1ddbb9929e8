"""Machine-readable results beside a report, so a batch can be aggregated into corpus tables.

Each notebook hands its key tables to :func:`save_results`; DataFrames become CSV, everything
else JSON with sorted keys, so unchanged inputs give byte-identical files.

One numbering in the files: the analyses index an article's body lines from 0 in file order (-1
for the title), which is what code wants; a results file names each line by its line in the seed
file (the title is line 1, the first sentence line 4), which is what a reader can look up.
:func:`file_numbered` maps a table to the files' numbering, :func:`index_numbered` back, and
:func:`save_results` / :func:`stack_results` apply them at the seam. A sequence in a cell (an
entity's lines) is written ``"4; 9; 12"``, never as a Python tuple.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol, Sequence, Union

import pandas as pd

from ._atomic import atomic_write_text

__all__ = [
    "save_results", "load_results", "collect_results", "stack_results", "file_numbered", "index_numbered",
    "LINE_COLUMNS", "TITLE_FILE_LINE",
]

#: Columns of the analyses' tables that name body lines (one line, or a sequence of them).
LINE_COLUMNS = ("line", "lines", "evidence")
#: The title's line in a seed file (lines 2 and 3 hold the date and the URL).
TITLE_FILE_LINE = 1
_TITLE_INDEX = -1  # analysis._repair.TITLE_LINE, not imported: this module stays below the analyses


class _Numbered(Protocol):
    id: str

    @property
    def file_lines(self) -> tuple[int, ...]: ...


#: An article (for one article's table) or the articles of a stacked table (an ``article`` column).
Numbering = Union[_Numbered, Mapping[str, _Numbered], Iterable[_Numbered]]


def _renumber(frame: pd.DataFrame, numbering: Numbering, *, to_file: bool, title: Any = TITLE_FILE_LINE,
              columns: Sequence[str] = LINE_COLUMNS, as_files: bool = True) -> pd.DataFrame:
    """The one mapping between body-line indices and seed-file lines, for files (``to_file``,
    title 1, a whole-body row without a line, whole numbers typed ``Int64``) and for display
    (:func:`analysis._report.seed_lines`: title ``"title"``, cells left as Python values, a
    whole-body row as the table has it); ``to_file=False`` maps a file's lines back."""
    if hasattr(numbering, "file_lines"):
        parts = [(frame, numbering)]
    else:
        by_id = dict(numbering) if isinstance(numbering, Mapping) else {a.id: a for a in numbering}
        if frame.empty or "article" not in frame.columns:
            return frame.copy()
        parts = [(part, by_id.get(key)) for key, part in frame.groupby("article", sort=False)]
    out = []
    for part, article in parts:
        part = part.copy()
        if article is not None:
            for column in columns:
                if column in part.columns:
                    values = _column(part, column, article.file_lines, to_file, title, whole_body=as_files)
                    # Whole numbers with gaps stay whole numbers (``29``, not ``29.0``).
                    plain = as_files and all(v is None or isinstance(v, int) for v in values)
                    part[column] = pd.array(values, dtype="Int64") if plain and values else pd.Series(values, index=part.index, dtype=object)
        out.append(part)
    return pd.concat(out).loc[frame.index] if len(out) > 1 else out[0]


def _column(part: pd.DataFrame, column: str, numbers: Sequence[int], to_file: bool, title: Any, *,
            whole_body: bool = True) -> list[Any]:
    # A row about the whole body (the claim-stance table's ``scope == "body"``) names no line;
    # the analyses give it the title's index, which must not become line 1 in a file.
    named = whole_body and "scope" in part.columns and column == "line"
    whole = (part["scope"] == "body").tolist() if named else [False] * len(part)
    index_of = {n: i for i, n in enumerate(numbers)}

    def one(value: Any) -> Any:
        try:
            value = int(value)
        except (TypeError, ValueError):
            return value
        if to_file:
            return title if value == _TITLE_INDEX else numbers[value] if 0 <= value < len(numbers) else value
        return _TITLE_INDEX if value == TITLE_FILE_LINE else index_of.get(value, value)

    def cell(value: Any, body: bool) -> Any:
        if body:
            return None if to_file else _TITLE_INDEX
        if isinstance(value, (tuple, list)):
            return tuple(one(v) for v in value)
        if not to_file and isinstance(value, str) and ";" in value:
            return tuple(one(v) for v in value.split(";"))
        if value is None or (isinstance(value, float) and value != value):
            return value
        return one(value)

    return [cell(v, b) for v, b in zip(part[column], whole)]


def file_numbered(frame: pd.DataFrame, numbering: Numbering) -> pd.DataFrame:
    """A copy of an analysis table whose line columns (:data:`LINE_COLUMNS`) name each line by
    its line in the seed file: the title 1, a body line by its ``file_lines`` entry, a row about
    the whole body (``scope == "body"``) no line.

    ``numbering``: the table's article, or for a stacked table (an ``article`` column) its articles
    (a mapping id → article or an iterable); rows of an article not given are kept as they are.
    """
    return _renumber(frame, numbering, to_file=True)


def index_numbered(frame: pd.DataFrame, numbering: Numbering) -> pd.DataFrame:
    """The inverse of :func:`file_numbered`, for a table read back from a results file: each line
    column back to the analyses' body-line index (-1 the title); ``"4; 9"`` cells become tuples."""
    return _renumber(frame, numbering, to_file=False)


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Sequences in cells as ``"a; b"`` text, the way a spreadsheet or ``str.split`` reads them."""
    sequences = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, (tuple, list, set, frozenset))).any()]
    if not sequences:
        return frame
    frame = frame.copy()
    for column in sequences:
        frame[column] = [
            "; ".join(str(x) for x in v) if isinstance(v, (tuple, list)) else
            "; ".join(sorted(str(x) for x in v)) if isinstance(v, (set, frozenset)) else v
            for v in frame[column]
        ]
    return frame


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in a results file")


def save_results(output_dir: str | Path | None, *, lines_of: Numbering | None = None, **items: Any) -> list[Path]:
    """Write each keyword item to ``output_dir`` (``name.csv`` for DataFrames, ``name.json`` otherwise).

    ``lines_of``: the article (or, for stacked tables, the articles) whose tables these are; their
    line columns are then written in seed-file lines (:func:`file_numbered`). Without it, tables
    are written as they are (tables that already cite seed-file lines, or name no lines).
    Does nothing when ``output_dir`` is ``None`` (interactive use).
    """
    if output_dir is None:
        return []
    folder = Path(output_dir)
    written = []
    for name, value in items.items():
        if isinstance(value, pd.DataFrame):
            if lines_of is not None:
                value = file_numbered(value, lines_of)
            text = _cells(value).to_csv(index=False, float_format="%.6g")
            written.append(atomic_write_text(folder / f"{name}.csv", text))
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
    reports_dir: str | Path,
    table: str,
    ids: Iterable[str] | Iterable[_Numbered],
    *,
    notebook: str = "article_report",
) -> tuple[pd.DataFrame, list[str]]:
    """``table.csv`` of the given articles' reports, stacked with an ``article`` column, and the
    ids of the articles it cannot use (no such file: their report failed or was never run; or a
    file that does not read as CSV), so a corpus analysis lists what it leaves out instead of
    failing for every article because of one.

    ``ids``: article ids, or the articles themselves; given articles, the line columns come back
    as the analyses' body-line indices (:func:`index_numbered`), so a table read from the reports
    and one computed afresh are the same table.
    An empty table (an article without mentions) contributes its header only.
    """
    ids = list(ids)
    articles = [a for a in ids if not isinstance(a, str)]
    frames, missing = [], []
    for article_id in (a if isinstance(a, str) else a.id for a in ids):
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
    stacked = pd.concat(frames, ignore_index=True)
    return (index_numbered(stacked, articles) if articles else stacked), missing
