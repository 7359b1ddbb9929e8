"""Speaker–target stance against the gold pairs read from development articles.

Prints, for the tuning half, the test half and all gold pairs (``tests/data/actor_stance_gold.csv``,
halves fixed by article): macro-F1, per-class F1, accuracy and pair coverage (share of gold
pairs the method found at all; a pair it did not find counts as ``neutral``) for the method,
always-``neutral``, and the method's variants. Needs ``../shared/corpora``; parses only the
gold articles (cached by :func:`analysis._nlp.annotate`).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stance_actors.py
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.stance._actor_evaluation import GOLD_PATH, analyse_gold_articles, load_gold, predict_pairs, score_pairs  # noqa: E402
from analysis._seeds import shared_dir  # noqa: E402
from analysis.stance._actors import actor_stance  # noqa: E402

CORPORA = shared_dir() / "corpora"  # $NEWSDESK_SHARED, else ../shared
TABLE_COLUMNS = ["system", "half", "pairs", "macro_f1", "f1_favor", "f1_against", "f1_neutral", "accuracy", "coverage"]


def _systems() -> dict[str, object]:
    """Name → method (``None``: always neutral). Variants switch off one rule group each."""
    return {
        "method": actor_stance,
        "without evaluative verbs/nouns": functools.partial(actor_stance, evaluations=False),
        "without target-phrase words": functools.partial(actor_stance, near_target=False),
        "statements only (both off)": functools.partial(actor_stance, evaluations=False, near_target=False),
        "with sole-speaker pronouns": functools.partial(actor_stance, sole_speaker=True),
        "always neutral": None,
    }


def actor_table(*, corpora: str | Path = CORPORA, gold_path: str | Path = GOLD_PATH, show: bool = True) -> pd.DataFrame:
    """The speaker–target table (columns :data:`TABLE_COLUMNS`), printed when ``show``.

    Raises:
        FileNotFoundError: none of the gold articles is under ``corpora``.
    """
    gold = load_gold(gold_path)
    articles = analyse_gold_articles(gold, corpora)
    if not articles:
        raise FileNotFoundError(f"no gold article under {corpora}")
    rows = []
    for name, method in _systems().items():
        if method is None:
            pairs = gold[[(c, a) in articles for c, a in zip(gold["corpus"], gold["article"])]].assign(predicted="neutral")
        else:
            pairs = predict_pairs(gold, articles, method)
        for half in ("tune", "test", "all"):
            part = pairs if half == "all" else pairs[pairs["half"] == half]
            s = score_pairs(part["label"], part["predicted"])
            rows.append([name, half, s.n, s.macro_f1, s.f1["favor"], s.f1["against"], s.f1["neutral"], s.accuracy,
                         s.coverage if method is not None else float("nan")])
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    if show:
        print(f"Speaker-target stance: {len(gold)} gold pairs in {len(articles)} articles "
              "(a pair the method did not find counts as neutral)")
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="-"))
    return table


if __name__ == "__main__":
    actor_table()
