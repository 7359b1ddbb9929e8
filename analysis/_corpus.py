"""The corpus as an analyst reads it, from the per-article tables: entities over time, the
speakers across articles, the body's stance to its headline.

Pure functions over the tables the article reports already wrote (stacked by
:func:`analysis._results.stack_results`, an ``article`` column first) or that a fresh analysis
returns in the same shape; nothing here parses or analyses. Lines are named by their line in
the seed file (``line_numbers``: article id → :attr:`~analysis._seeds.Article.file_lines`), so
an evidence list can link to the line in the article's report.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Callable, Iterable, Mapping, Sequence

import pandas as pd

__all__ = [
    "STANCE_ORDER",
    "body_stance",
    "headline_stance_distribution",
    "mentions_over_time",
    "speakers_table",
    "speakers_html",
    "stance_articles_html",
]

#: Headline stances in the order an editor reads them: the surprising ones first.
STANCE_ORDER = ("disagree", "unrelated", "discuss", "agree")

LineNumbers = Mapping[str, Sequence[int]]


def _period(dates: Iterable[date]) -> str:
    """The coarsest period that still separates a corpus's dates: days within two months, weeks
    within a year, else months (a thousand articles over a decade stay a legible line)."""
    dates = [d for d in dates if d is not None]
    if not dates:
        return "D"
    span = (max(dates) - min(dates)).days
    return "D" if span <= 62 else "W" if span <= 366 else "M"


def mentions_over_time(
    mentions: pd.DataFrame, dates: Mapping[str, date], *, entities: Sequence[str], period: str | None = None
) -> pd.DataFrame:
    """Mentions of each of ``entities`` per period of the articles' dates.

    Args:
        mentions: stacked mention tables (``article``, ``entity`` columns).
        dates: article id → its date (articles without a date are left out).
        entities: the entities to follow (e.g. the corpus's top ten), the columns in this order.
        period: a pandas period alias (``"D"``, ``"W"``, ``"M"``); ``None`` picks one from the
            span of the dates (see :func:`_period`).

    Returns:
        One row per period that has a dated article (in time order; an article without a
        mention of an entity counts 0 for it), indexed by the period's start date, one column
        per entity.
    """
    period = period or _period(dates.values())
    rows = mentions[mentions["entity"].isin(entities) & mentions["article"].isin(list(dates))]
    when = pd.to_datetime(rows["article"].map(dates)).dt.to_period(period)
    counts = rows.assign(period=when).groupby(["period", "entity"]).size().unstack("entity", fill_value=0)
    # Periods with at least one dated article: a period without articles is not a period
    # without mentions, so it is left out rather than drawn as a zero.
    known = sorted({pd.Timestamp(d).to_period(period) for d in dates.values() if d is not None})
    counts = counts.reindex(pd.PeriodIndex(known, freq=period), fill_value=0)
    counts = counts.reindex(columns=list(entities), fill_value=0)
    counts.index = counts.index.to_timestamp() if len(counts) else pd.DatetimeIndex([])
    counts.index.name = "period"
    counts.columns.name = None
    return counts.astype(int)


def body_stance(claims: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """Each article's body stance to its headline, the surprising ones first.

    ``claims``: stacked ``stance_claims`` tables (the ``scope == "body"`` row of each article is
    used). Columns: ``article``, ``title``, ``stance``, ``probability`` (the model's probability
    of that label); ordered by :data:`STANCE_ORDER`, then by probability, most confident first.
    """
    body = claims[claims["scope"] == "body"]
    probability = [float(body.at[i, f"p_{label}"]) for i, label in zip(body.index, body["label"])]
    table = pd.DataFrame(
        {
            "article": body["article"].to_numpy(),
            "title": [titles.get(a, "") for a in body["article"]],
            "stance": body["label"].to_numpy(),
            "probability": probability,
        }
    )
    rank = {label: i for i, label in enumerate(STANCE_ORDER)}
    table["_rank"] = table["stance"].map(rank)
    return table.sort_values(["_rank", "probability"], ascending=[True, False], kind="stable").drop(columns="_rank").reset_index(drop=True)


def headline_stance_distribution(body: pd.DataFrame) -> pd.DataFrame:
    """How many articles take each stance to their headline (every label, in :data:`STANCE_ORDER`)."""
    counts = body["stance"].value_counts().reindex(list(STANCE_ORDER), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {"stance": list(STANCE_ORDER), "articles": counts.to_numpy(), "share": (counts / total).to_numpy() if total else 0.0}
    )


def speakers_table(
    quotes: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    line_numbers: LineNumbers,
    mentions: pd.DataFrame | None = None,
    top_n: int | None = 20,
) -> pd.DataFrame:
    """Who is quoted most across the corpus, in how many articles, and on which targets.

    Args:
        quotes: stacked ``stance_quotes`` tables; only resolved speakers count.
        mentions: stacked mention tables; when given, only speakers that are a named entity of
            their article count (not a described one: ``a spokesman``, ``police``).
        actors: stacked ``stance_actors`` tables (speaker, target, stance, n_statements, evidence).
        line_numbers: article id → the seed-file line of each body line.
        top_n: speakers kept (most statements first); ``None`` keeps all.

    Returns:
        ``speaker``, ``statements``, ``articles``, ``targets`` (``Russia: against (2)``, the
        targets with most statements first) and ``evidence`` (a tuple of ``(article, line)``,
        ``line`` in the seed file).
    """
    named = quotes[quotes["resolved"].astype(str).str.lower() == "true"]
    named = named[named["speaker_entity"].notna() & (named["speaker_entity"].astype(str) != "")]
    if mentions is not None:
        names = set(zip(mentions["article"], mentions["entity"]))
        named = named[[pair in names for pair in zip(named["article"], named["speaker_entity"])]]
    if named.empty:
        return pd.DataFrame(columns=["speaker", "statements", "articles", "targets", "evidence"])
    grouped = named.groupby("speaker_entity", sort=False)
    table = pd.DataFrame(
        {"statements": grouped.size(), "articles": grouped["article"].nunique()}
    ).rename_axis("speaker").reset_index()
    table = table.sort_values(["statements", "articles", "speaker"], ascending=[False, False, True], kind="stable")
    if top_n is not None:
        table = table.head(top_n)
    targets, evidence = [], []
    for speaker in table["speaker"]:
        own = actors[actors["speaker"] == speaker]
        per_target: dict[str, list] = {}
        for target, stance, n in zip(own["target"], own["stance"], own["n_statements"]):
            entry = per_target.setdefault(str(target), [0, {}])
            entry[0] += int(n)
            entry[1][str(stance)] = entry[1].get(str(stance), 0) + int(n)
        ranked = sorted(per_target.items(), key=lambda kv: (-kv[1][0], kv[0]))
        targets.append("; ".join(
            f"{t}: {max(s.items(), key=lambda kv: (kv[1], kv[0] == 'neutral'))[0]} ({n})" for t, (n, s) in ranked
        ))
        said = named[named["speaker_entity"] == speaker]
        evidence.append(tuple(dict.fromkeys(
            (a, int(line_numbers[a][int(i)])) for a, i in zip(said["article"], said["line"])
        )))
    table["targets"] = targets
    table["evidence"] = evidence
    return table.reset_index(drop=True)


def speakers_html(table: pd.DataFrame, *, href: Callable[[str, int], str] | None = None, max_links: int = 12) -> str:
    """:func:`speakers_table` as an HTML table whose evidence lines link to the articles' reports.

    ``href(article, line)``: the link of a line (for a batch's corpus report,
    ``../{article}/article_report.html#line-{line}``); ``None`` writes the lines as text. At most
    ``max_links`` lines per speaker are listed, then a count of the rest.
    """
    head = "".join(f"<th>{c}</th>" for c in ("speaker", "statements", "articles", "targets", "evidence"))
    rows = []
    for speaker, statements, articles, targets, evidence in table[["speaker", "statements", "articles", "targets", "evidence"]].itertuples(index=False):
        cites = []
        for article, line in evidence[:max_links]:
            label = html.escape(f"{article}:{line}")
            cites.append(f'<a href="{html.escape(href(article, line), quote=True)}">{label}</a>' if href else label)
        if len(evidence) > max_links:
            cites.append(f"and {len(evidence) - max_links} more")
        rows.append(
            f"<tr><td>{html.escape(str(speaker))}</td><td>{int(statements)}</td><td>{int(articles)}</td>"
            f"<td>{html.escape(str(targets)) or '–'}</td><td>{', '.join(cites)}</td></tr>"
        )
    body = "".join(rows) or '<tr><td colspan="5"><em>no named speaker</em></td></tr>'
    return f'<table class="dataframe nd-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def stance_articles_html(body: pd.DataFrame, *, href: Callable[[str], str] | None = None, max_rows: int = 50) -> str:
    """:func:`body_stance` rows as an HTML table, each title linked to its article's report
    (``href(article)``; ``None`` writes titles as text); at most ``max_rows`` rows, then a count."""
    head = "".join(f"<th>{c}</th>" for c in ("article", "title", "stance", "probability"))
    rows = []
    for article, title, stance, probability in body[["article", "title", "stance", "probability"]].head(max_rows).itertuples(index=False):
        shown = html.escape(str(title)) or "–"
        if href:
            shown = f'<a href="{html.escape(href(article), quote=True)}">{shown}</a>'
        rows.append(f"<tr><td>{html.escape(str(article))}</td><td>{shown}</td><td>{html.escape(str(stance))}</td><td>{float(probability):.3f}</td></tr>")
    if len(body) > max_rows:
        rows.append(f'<tr><td colspan="4"><em>and {len(body) - max_rows} more articles</em></td></tr>')
    text = "".join(rows) or '<tr><td colspan="4"><em>none</em></td></tr>'
    return f'<table class="dataframe nd-table"><thead><tr>{head}</tr></thead><tbody>{text}</tbody></table>'
