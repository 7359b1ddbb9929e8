"""All stance results of one article in one object, and their machine-readable export."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Sequence

import pandas as pd

from .._analysed import ArticleLike, as_analysed

__all__ = ["StanceResults", "stance_results", "write_stance_results"]


class StanceResults(NamedTuple):
    """Claim stance, reported statements and actor stance of one article."""

    article_id: str
    claims: pd.DataFrame
    quotes: pd.DataFrame
    actors: pd.DataFrame
    targets: tuple[str, ...]
    #: Each body line's line in the seed file: what results files cite (the tables keep indices).
    file_lines: tuple[int, ...] = ()

    def summary(self) -> dict:
        """Key figures as plain JSON-ready values (for corpus tables)."""
        body = self.claims.iloc[0]
        probabilities = {c.removeprefix("p_"): round(float(body[c]), 4) for c in self.claims.columns if c.startswith("p_")}
        return {
            "article_id": self.article_id,
            "body_label": str(body["label"]),
            "body_probabilities": probabilities,
            "sentence_labels": {str(k): int(v) for k, v in self.claims["label"].iloc[1:].value_counts().sort_index().items()},
            "n_statements": int(len(self.quotes)),
            "n_unresolved_speakers": int((~self.quotes["resolved"]).sum()),
            "speakers": sorted({str(s) for s in self.quotes["speaker_entity"].dropna()}),
            "targets": list(self.targets),
            "actor_stance": [
                {"speaker": r.speaker, "target": r.target, "stance": r.stance, "score": float(r.score), "evidence": [self._file_line(x) for x in r.evidence]}
                for r in self.actors.itertuples()
            ],
        }


    def _file_line(self, index: int) -> int:
        return int(self.file_lines[int(index)]) if self.file_lines else int(index)


def stance_results(article: ArticleLike, *, targets: Sequence[str] | None = None, pipeline: str | None = None) -> StanceResults:
    """Compute the three stance views of an article (``pipeline``: the spaCy pipeline, used only to
    analyse a plain Article)."""
    from . import actor_stance, claim_stance, default_targets, quotes

    article = as_analysed(article, pipeline=pipeline)
    chosen = tuple(targets) if targets else tuple(default_targets(article))
    return StanceResults(
        article_id=article.id,
        claims=claim_stance(article),
        quotes=quotes(article),
        actors=actor_stance(article, list(chosen)),
        targets=chosen,
        file_lines=tuple(article.file_lines),
    )


def write_stance_results(results: StanceResults, output_dir: str | Path) -> list[Path]:
    """Write ``stance_claims.csv``, ``stance_quotes.csv``, ``stance_actors.csv`` and
    ``stance_summary.json`` into ``output_dir`` (created if needed), lines cited by their line in
    the seed file as in every results file; returns the paths."""
    from .._results import save_results

    return save_results(
        output_dir,
        lines_of=results,
        stance_claims=results.claims,
        stance_quotes=results.quotes,
        stance_actors=results.actors,
        stance_summary=results.summary(),
    )
