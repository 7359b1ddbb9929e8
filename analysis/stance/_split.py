"""A dev split of FNC-1 that holds out claims *and* bodies, near-duplicates included.

The split by Body ID (:func:`analysis.stance._fnc.split_by_body`) flatters every model: FNC-1
headlines recur across bodies, so most dev claims were seen in training with other bodies
(Hanselowski et al. 2018, "A retrospective analysis of the Fake News Challenge stance detection
task"). Here a *topic* is a connected group of headlines and bodies:

* a related pair (agree, disagree, discuss) joins its headline and its body;
* two headlines, or two bodies, whose TF-IDF cosine reaches ``threshold`` are joined (the same
  claim reworded, the same wire story on two sites); identical normalised texts always are.

Whole topics go to dev (seeded), so no dev headline or body, nor a near-duplicate of one, is in
training. A pair whose headline and body fall on different sides is dropped: it would show a dev
text to training. FNC-1 made its unrelated pairs by pairing a headline with a body of another
claim; dropping the crossing ones leaves dev with few of them, so :func:`split_by_topic` can
draw new unrelated pairs the same way inside dev (``origin == "resampled"``) until dev has the
training part's share of unrelated pairs. Scores on ``origin == "fnc"`` rows only are the
as-found figure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["TopicSplit", "topic_groups", "split_by_topic", "max_cross_similarity"]

_NORM_RE = re.compile(r"\W+")


class TopicSplit(NamedTuple):
    """Training and dev pairs of a topic split, and the topic of each distinct text."""

    train: pd.DataFrame
    dev: pd.DataFrame
    headline_topic: dict[str, int]
    body_topic: dict[int, int]


def _normalise(text: str) -> str:
    return " ".join(_NORM_RE.sub(" ", text.lower()).split())


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs of texts whose TF-IDF cosine (English stop words removed) is >= threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    normalised = [_normalise(t) for t in texts]
    matrix = TfidfVectorizer(stop_words="english").fit_transform(normalised)
    sims = (matrix @ matrix.T).tocoo()
    keep = (sims.data >= threshold) & (sims.row < sims.col)
    pairs = list(zip(sims.row[keep].tolist(), sims.col[keep].tolist()))
    seen: dict[str, int] = {}
    for i, text in enumerate(normalised):  # empty or stop-word-only texts have no vector
        if text in seen:
            pairs.append((seen[text], i))
        seen.setdefault(text, i)
    return pairs


def topic_groups(pairs: pd.DataFrame, *, bodies: dict[int, str], threshold: float = 0.6) -> tuple[dict[str, int], dict[int, int]]:
    """The topic of every distinct headline and body (see the module docstring).

    The similarity is only used to group texts for splitting, never as a model input.
    """
    headlines = list(dict.fromkeys(pairs["headline"]))
    body_ids = sorted({int(b) for b in pairs["body_id"]})
    h_index = {h: i for i, h in enumerate(headlines)}
    b_index = {b: len(headlines) + i for i, b in enumerate(body_ids)}
    groups = _UnionFind(len(headlines) + len(body_ids))
    related = pairs["stance"] != "unrelated"
    for h, b in zip(pairs.loc[related, "headline"], pairs.loc[related, "body_id"]):
        groups.union(h_index[h], b_index[int(b)])
    for i, j in _similar_pairs(headlines, threshold):
        groups.union(i, j)
    for i, j in _similar_pairs([bodies[b] for b in body_ids], threshold):
        groups.union(len(headlines) + i, len(headlines) + j)
    roots = sorted({groups.find(i) for i in range(len(headlines) + len(body_ids))})
    topic_of_root = {r: t for t, r in enumerate(roots)}
    return (
        {h: topic_of_root[groups.find(i)] for h, i in h_index.items()},
        {b: topic_of_root[groups.find(i)] for b, i in b_index.items()},
    )


def split_by_topic(
    pairs: pd.DataFrame,
    *,
    bodies: dict[int, str],
    dev_fraction: float = 0.2,
    seed: int = 2018,
    threshold: float = 0.6,
    resample_unrelated: bool = True,
) -> TopicSplit:
    """Hold out whole topics until ``dev_fraction`` of the bodies are in dev (seeded).

    Both parts keep the original row order, with a column ``topic`` (of the headline) and
    ``origin`` (``fnc`` for a pair of the data, ``resampled`` for an unrelated pair drawn inside
    dev). Pairs whose headline and body are on different sides are dropped.
    """
    if not 0 < dev_fraction < 1:
        raise ValueError(f"dev_fraction must be in (0, 1), got {dev_fraction}")
    headline_topic, body_topic = topic_groups(pairs, bodies=bodies, threshold=threshold)
    topics = np.array(sorted(set(body_topic.values()) | set(headline_topic.values())))
    bodies_per_topic = pd.Series(body_topic).value_counts()
    rng = np.random.default_rng(seed)
    dev_topics: set[int] = set()
    n_dev_bodies, wanted = 0, dev_fraction * len(body_topic)
    for topic in rng.permutation(topics).tolist():
        if n_dev_bodies >= wanted:
            break
        dev_topics.add(topic)
        n_dev_bodies += int(bodies_per_topic.get(topic, 0))
    h_dev = pairs["headline"].map(lambda h: headline_topic[h] in dev_topics).to_numpy()
    b_dev = pairs["body_id"].map(lambda b: body_topic[int(b)] in dev_topics).to_numpy()
    frame = pairs.assign(topic=pairs["headline"].map(headline_topic), origin="fnc")
    train = frame.loc[~h_dev & ~b_dev].reset_index(drop=True)
    dev = frame.loc[h_dev & b_dev].reset_index(drop=True)
    if resample_unrelated:
        dev = _resample_unrelated(dev, train, bodies=bodies, body_topic=body_topic, headline_topic=headline_topic, seed=seed)
    return TopicSplit(train, dev, headline_topic, body_topic)


def _resample_unrelated(dev, train, *, bodies, body_topic, headline_topic, seed) -> pd.DataFrame:
    """Add unrelated pairs (a dev headline with a dev body of another topic) until dev has the
    training part's share of unrelated pairs, as FNC-1 built its unrelated pairs."""
    share = float((train["stance"] == "unrelated").mean())
    n_related = int((dev["stance"] != "unrelated").sum())
    missing = int(round(share * n_related / (1 - share))) - int((dev["stance"] == "unrelated").sum())
    if missing <= 0:
        return dev
    rng = np.random.default_rng(seed + 1)
    heads = np.array(sorted(set(dev["headline"])), dtype=object)
    body_ids = np.array(sorted(set(int(b) for b in dev["body_id"])))
    taken = set(zip(dev["headline"], dev["body_id"].astype(int)))
    rows = []
    while len(rows) < missing:
        h, b = heads[rng.integers(len(heads))], int(body_ids[rng.integers(len(body_ids))])
        if headline_topic[h] == body_topic[b] or (h, b) in taken:
            continue
        taken.add((h, b))
        rows.append({"headline": h, "body_id": b, "body": bodies[b], "stance": "unrelated", "topic": headline_topic[h], "origin": "resampled"})
    return pd.concat([dev, pd.DataFrame(rows, columns=dev.columns)], ignore_index=True)


def max_cross_similarity(train_texts: list[str], dev_texts: list[str]) -> float:
    """The highest TF-IDF cosine between any dev text and any training text (a leak check)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english").fit([_normalise(t) for t in train_texts + dev_texts])
    a = vectorizer.transform([_normalise(t) for t in train_texts])
    b = vectorizer.transform([_normalise(t) for t in dev_texts])
    sims = b @ a.T
    return float(sims.max()) if sims.nnz else 0.0
