"""Every table of the corpus report, each computed once and passed on by name.

In a batch the article reports have already written their tables
(``reports/<article>/article_report.results/``), so the corpus is counted from those and no
article is analysed twice; on its own, or with options the article reports did not use
(folding, an alias file of one's own), the articles are analysed here, parsed in large batches.
Either way the tables have the same shape, and :mod:`analysis._corpus` turns them into the
corpus's views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import pandas as pd

from ._corpus import body_stance, mentions_over_time, speakers_table
from ._seeds import Article, Corpus, load_corpus

__all__ = ["CorpusTables", "corpus_tables", "open_corpus"]


def open_corpus(seed_paths: Iterable[str | Path] | None, seeds_glob: str, *, base: str | Path | None = None) -> Corpus:
    """The corpus of ``seed_paths`` (exact files), else of the files matching ``seeds_glob``
    (a relative pattern is tried from the current folder, then from ``base``). Files that break
    the seed format are in its ``errors``, never raised."""
    from .entities._display import load_articles

    return load_corpus(seed_paths) if seed_paths is not None else load_articles(seeds_glob, base=base)


class CorpusTables(NamedTuple):
    """The corpus report's tables (line columns hold sentence indices, as the analyses return them)."""

    articles: tuple[Article, ...]  # the articles counted
    left_out: tuple[str, ...]  # ids of articles whose report could not be read
    from_reports: bool  # counted from the article reports (else from a fresh analysis)
    mentions: pd.DataFrame  # one row per name, an ``article`` column first
    repairs: pd.DataFrame
    frequency: pd.DataFrame  # canonical entities, most mentioned first
    top: pd.DataFrame  # the ``top_n`` first rows of ``frequency``
    cooccurrence: pd.DataFrame  # top entities × top entities, sentences naming both
    over_time: pd.DataFrame  # mentions of the top entities per period
    speakers: pd.DataFrame
    headline_stance: pd.DataFrame  # each article's body toward its headline
    entity: str | None  # the entity whose sentences the report shows
    entity_lines: tuple[tuple[Article, pd.DataFrame], ...]  # per article, that entity's sentences

    def results(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """The tables as :func:`analysis._results.save_results` items, with a summary."""
        speakers = self.speakers.assign(evidence=["; ".join(f"{a}:{l}" for a, l in e) for e in self.speakers["evidence"]])
        return {
            "entity_frequency": self.frequency,
            "cooccurrence": self.cooccurrence.rename_axis("entity").reset_index(),
            "repairs": self.repairs,
            "mentions_over_time": self.over_time.reset_index(),
            "speakers": speakers,
            "headline_stance": self.headline_stance,
            "summary": {
                "articles": [a.id for a in self.articles],
                "left_out": list(self.left_out),
                "source": "article reports" if self.from_reports else "fresh analysis",
                "parameters": {**parameters, "entity": self.entity},
                "top": self.top.to_dict(orient="records"),
            },
        }


def corpus_tables(
    articles: Sequence[Article],
    *,
    reports_dir: str | Path | None = None,
    labels: Iterable[str] | None = None,
    top_n: int = 10,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    aliases: str | Path | None = None,
    entity: str | None = None,
    pipeline: str | None = None,
    over_time_entities: int = 8,
    top_speakers: int = 25,
) -> CorpusTables:
    """The corpus report's tables for ``articles``.

    Args:
        reports_dir: the batch's reports folder; its article reports are read instead of
            analysing again, unless an option below differs from what they counted with.
        labels: name labels kept (``None``: every name label).
        fold_demonyms, fold_metonyms, aliases: options of :func:`analysis.entities.mentions`.
        entity: whose sentences to collect, written any way the articles write it (``None``:
            the most mentioned entity).
        pipeline: spaCy pipeline of a fresh analysis.

    Raises:
        FileNotFoundError: reading from reports, and not one article report could be read.
    """
    from ._analysed import analyse_many
    from .entities import cooccurrence_from_mentions, entity_sentences, frequency_from_mentions, repairs_table
    from .entities._frequency import corpus_mentions
    from ._results import stack_results
    from .stance import stance_results

    options = dict(fold_demonyms=fold_demonyms, fold_metonyms=fold_metonyms, aliases=aliases)
    # The article reports count with the default options; other options need a fresh analysis.
    from_reports = reports_dir is not None and not (fold_demonyms or fold_metonyms or aliases)
    if from_reports:
        table, missing = stack_results(reports_dir, "mentions", articles)
        repairs, _ = stack_results(reports_dir, "repairs", articles)
    else:
        analysed = analyse_many(articles, pipeline=pipeline)
        table, missing = corpus_mentions(analysed, include_title=True, **options), []
        repairs = pd.concat([repairs_table(a).assign(article=a.id) for a in analysed], ignore_index=True)
    used = [a for a in articles if a.id not in set(missing)]
    if not used:  # every article report failed: one line, rather than a failure on an empty table
        raise FileNotFoundError(f"no article report could be read from {reports_dir} (seeds given: {len(articles)})")
    frequency = frequency_from_mentions(table, labels=labels, n_articles=len(used))
    top = frequency.head(top_n)
    matrix = cooccurrence_from_mentions(table, list(top["entity"]))
    over_time = mentions_over_time(table, {a.id: a.date for a in used}, entities=list(top["entity"].head(over_time_entities)))
    if from_reports:
        quotes, _ = stack_results(reports_dir, "stance_quotes", used)
        actors, _ = stack_results(reports_dir, "stance_actors", used)
        claims, _ = stack_results(reports_dir, "stance_claims", used)
    else:
        results = {a.id: stance_results(a) for a in analysed}
        quotes = pd.concat([r.quotes.assign(article=i) for i, r in results.items()], ignore_index=True)
        actors = pd.concat([r.actors.assign(article=i) for i, r in results.items()], ignore_index=True)
        claims = pd.concat([r.claims.assign(article=i) for i, r in results.items()], ignore_index=True)
    speakers = speakers_table(quotes, actors, line_numbers={a.id: a.file_lines for a in used}, mentions=table, top_n=top_speakers)
    headline = body_stance(claims, {a.id: a.title for a in used})
    chosen = _chosen_entity(entity, table, frequency)
    lines = []
    for article in used:
        own = table[table["article"] == article.id]
        found = entity_sentences(article, chosen, table=own) if chosen and not own.empty else pd.DataFrame()
        if not found.empty:
            lines.append((article, found))
    return CorpusTables(
        tuple(used), tuple(missing), from_reports, table, repairs, frequency, top, matrix, over_time, speakers, headline,
        chosen, tuple(lines),
    )


def _chosen_entity(entity: str | None, table: pd.DataFrame, frequency: pd.DataFrame) -> str | None:
    if entity is not None and not table.empty:
        # Accept any way of writing the name ("Blinken", "U.S.") that the articles use.
        written = table[table["text"].str.casefold() == str(entity).casefold()]
        return written["entity"].mode().iloc[0] if not written.empty else entity
    if entity is None and not frequency.empty:
        return frequency["entity"].iloc[0]
    return entity
