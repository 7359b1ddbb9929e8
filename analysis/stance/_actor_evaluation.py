"""Speaker–target stance against a reading of the text: the gold pairs and their score.

The gold file (``tests/data/actor_stance_gold.csv``, rules in ``tests/data/README.md``) holds
speaker–target pairs read from development articles, each labelled ``favor``/``against``/
``neutral``, with the seed-file lines of the evidence and the article's fixed half (``tune`` or
``test``). Names may list alternatives separated by ``|`` (``Britain|Foreign Office``) for an
actor the article names in more than one way.

Scoring (:func:`score_pairs`):

* The method runs on the whole article with *every* named entity of the article as a target,
  so it never sees which targets the gold file asks about.
* A predicted pair matches a gold pair when both names match (:func:`names_match`); if several
  predicted rows match (``Damascus Radio`` and ``radio``; ``India`` and ``I.K. Gujral`` as
  alternatives), their statements are pooled: the mean score weighted by statements, with the
  method's threshold.
* A gold pair with no matching prediction counts as the method saying ``neutral``: an analyst
  reading the table sees nothing there. Macro-F1 is over the three classes on all gold pairs;
  *coverage* is the share of gold pairs the method found at all.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from .._language import ACTOR_LABELS, NAME_MATCH_STOP_WORDS
from .._analysed import AnalysedArticle, analyse_many
from ..errors import GoldFormatError
from ..names._mentions import mentions
from .._seeds import load_article
from ._actors import THRESHOLD

__all__ = [
    "LABELS",
    "GOLD_COLUMNS",
    "GOLD_PATH",
    "load_gold",
    "names_match",
    "article_targets",
    "analyse_gold_articles",
    "predict_pairs",
    "PairScore",
    "score_pairs",
]

LABELS = ("favor", "against", "neutral")
GOLD_COLUMNS = ["corpus", "article", "half", "speaker", "target", "label", "lines", "reason"]
GOLD_PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "actor_stance_gold.csv"

_WORD = re.compile(r"[a-z0-9]+")

Method = Callable[..., pd.DataFrame]


def load_gold(path: str | Path = GOLD_PATH) -> pd.DataFrame:
    """The gold pairs, one row each, columns :data:`GOLD_COLUMNS` (``lines`` a tuple of ints).

    Raises:
        GoldFormatError: a missing column, an unknown label or half, or a bad line list; the
            message names the file and line.
    """
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(GOLD_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GoldFormatError(f"{path}:1: rule 'columns': missing {sorted(missing)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            if row["label"] not in LABELS:
                raise GoldFormatError(f"{path}:{number}: rule 'label': {row['label']!r} is not one of {LABELS}")
            if row["half"] not in {"tune", "test"}:
                raise GoldFormatError(f"{path}:{number}: rule 'half': {row['half']!r} is not 'tune' or 'test'")
            try:
                lines = tuple(int(x) for x in row["lines"].split(";") if x.strip())
            except ValueError:
                raise GoldFormatError(f"{path}:{number}: rule 'lines': {row['lines']!r} is not a ';' list of numbers") from None
            rows.append({**{c: row[c] for c in GOLD_COLUMNS}, "lines": lines})
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def _words(name: str) -> frozenset[str]:
    return frozenset(_WORD.findall(name.lower())) - NAME_MATCH_STOP_WORDS


def names_match(gold: str, predicted: str) -> bool:
    """Does a predicted canonical name stand for the gold name (any ``|`` alternative)?

    Equal word sets match, and so does a name whose words contain all of the other's
    (``Sharif`` ~ ``Nawaz Sharif``, ``Foreign Office`` ~ ``Foreign Office spokesman``); case,
    punctuation, ``the`` and ``of`` are ignored.
    """
    mine = _words(predicted)
    if not mine:
        return False
    for option in gold.split("|"):
        theirs = _words(option)
        if theirs and (theirs <= mine or mine <= theirs):
            return True
    return False


def article_targets(article: AnalysedArticle) -> list[str]:
    """Every canonical named entity of the body (the names the method may be asked about)."""
    table = mentions(article, fold_demonyms=True, fold_metonyms=True)
    keep = table[(table["line"] >= 0) & table["entity_label"].isin(ACTOR_LABELS)]
    return sorted({e for e in keep["entity"] if isinstance(e, str)})


def analyse_gold_articles(gold: pd.DataFrame, corpora: str | Path, *, pipeline: str | None = None) -> dict[tuple[str, str], AnalysedArticle]:
    """The gold file's articles, analysed in one batch, keyed by ``(corpus, article)``.

    Articles missing under ``corpora`` are left out (the caller decides whether that is a skip).
    """
    corpora = Path(corpora)
    keys = sorted({(c, a) for c, a in zip(gold["corpus"], gold["article"])})
    found = [(key, corpora / key[0] / "articles" / key[1]) for key in keys]
    found = [(key, path) for key, path in found if path.is_file()]
    analysed = analyse_many([load_article(path) for _, path in found], pipeline=pipeline)
    return {key: a for (key, _), a in zip(found, analysed)}


def predict_pairs(gold: pd.DataFrame, articles: dict[tuple[str, str], AnalysedArticle], method: Method) -> pd.DataFrame:
    """The gold pairs with the method's answer: ``predicted`` (``None`` when the method found
    no matching pair), ``score`` and ``signals`` of the matched row. Gold pairs whose article
    is not in ``articles`` are dropped."""
    out = []
    cache: dict[tuple[str, str], pd.DataFrame] = {}
    for row in gold.itertuples(index=False):
        key = (row.corpus, row.article)
        if key not in articles:
            continue
        if key not in cache:
            a = articles[key]
            cache[key] = method(a, article_targets(a))
        table = cache[key]
        hits = table[[names_match(row.speaker, s) and names_match(row.target, t) for s, t in zip(table["speaker"], table["target"])]]
        if hits.empty:
            out.append({**row._asdict(), "predicted": None, "score": None, "signals": ()})
            continue
        # one actor named several ways ("Damascus Radio", "the radio"): its statements pooled
        score = float((hits["score"] * hits["n_statements"]).sum() / hits["n_statements"].sum())
        stance = "favor" if score > THRESHOLD else "against" if score < -THRESHOLD else "neutral"
        out.append({**row._asdict(), "predicted": stance, "score": round(score, 3), "signals": tuple(w for ws in hits["signals"] for w in ws)})
    return pd.DataFrame(out, columns=[*GOLD_COLUMNS, "predicted", "score", "signals"])


@dataclass(frozen=True)
class PairScore:
    """Macro-F1 and per-class F1 over gold pairs (a missing prediction counts as neutral)."""

    n: int
    macro_f1: float
    f1: dict[str, float]
    coverage: float
    accuracy: float


def _f1(gold: Sequence[str], predicted: Sequence[str], label: str) -> float:
    tp = sum(g == p == label for g, p in zip(gold, predicted))
    fp = sum(p == label and g != label for g, p in zip(gold, predicted))
    fn = sum(g == label and p != label for g, p in zip(gold, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score_pairs(gold: Iterable[str], predicted: Iterable[str | None]) -> PairScore:
    """Score predictions against gold labels; ``None`` (no pair found) counts as ``neutral``."""
    gold = list(gold)
    raw = [None if p is None or (isinstance(p, float) and p != p) else p for p in predicted]
    if len(gold) != len(raw):
        raise ValueError(f"{len(gold)} gold labels but {len(raw)} predictions")
    said = [p if p is not None else "neutral" for p in raw]
    f1 = {label: _f1(gold, said, label) for label in LABELS}
    n = len(gold)
    return PairScore(
        n=n,
        macro_f1=sum(f1.values()) / len(LABELS),
        f1=f1,
        coverage=sum(p is not None for p in raw) / n if n else 0.0,
        accuracy=sum(g == p for g, p in zip(gold, said)) / n if n else 0.0,
    )
