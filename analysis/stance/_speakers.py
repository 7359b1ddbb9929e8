"""Canonical names for speakers and targets, and the article's entity mentions.

Names come from the entity layer (:func:`analysis.entities.resolve` and
:func:`analysis.names._mentions.mentions`, demonyms and metonyms folded into their country). Where it
names nothing, a small fallback applies: a leading article and a possessive are dropped (``the
United States`` → ``United States``), a demonym is mapped to its country (``Russian`` → ``Russia``)
and a lone surname to the full name that the article gives (``Blinken`` → ``Antony Blinken``).
"""

from __future__ import annotations

import re
from typing import Callable

import pandas as pd

from .._language import DEMONYM_COUNTRIES
from .._analysed import AnalysedArticle, ArticleLike, as_analysed
from ..names._mentions import mentions, resolve
from ..errors import NewsdeskError
from ._parse import analysed_lines

__all__ = ["Canonicaliser", "canonicaliser", "article_mentions"]

Canonicaliser = Callable[[str, "str | None"], "str | None"]

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|')$")


def _tidy(surface: str) -> str:
    return _POSSESSIVE.sub("", _LEADING.sub("", surface.strip())).strip()


def _person_names(a: AnalysedArticle) -> tuple[str, ...]:
    def build() -> tuple[str, ...]:
        names: set[str] = set()
        for line in analysed_lines(a):
            names.update(line.text_of(e.start_char, e.end_char) for e in line.doc.ents if e.label_ == "PERSON")
            # the tagger misses some names ("Dmitry Kozak, the Kremlin …"): take a capitalised
            # proper-noun pair (given name + surname) as well
            for x, y in zip(line.doc, line.doc[1:]):
                if x.pos_ == y.pos_ == "PROPN" and x.is_title and y.is_title and x.ent_type_ in {"", "PERSON"} and y.ent_type_ in {"", "PERSON"}:
                    names.add(line.text_of(x.idx, y.idx + len(y.text)))
        return tuple(sorted(names, key=lambda n: (-len(n.split()), n)))

    return a.memo("stance.person_names", build)


def _fallback(a: AnalysedArticle, surface: str, label: str | None) -> str:
    name = _tidy(surface)
    if name.lower() in DEMONYM_COUNTRIES:
        return DEMONYM_COUNTRIES[name.lower()]
    if label in {"PERSON", None} and len(name.split()) == 1:
        # a lone surname: the article's longest person name ending with it
        for full in _person_names(a):
            if full.split()[-1] == name and full != name:
                return _tidy(full)
    return name


def canonicaliser(article: ArticleLike, *, pipeline: str | None = None) -> Canonicaliser:
    """A function ``(surface, label) -> canonical name`` for this article (answers are kept on
    the analysed article, so a name is resolved once however many statements use it).

    Uses :func:`analysis.entities.resolve` (when it knows the surface), else the fallback
    described in the module docstring.
    """
    a = as_analysed(article, pipeline=pipeline)
    known: dict[tuple[str, str | None], str | None] = a.memo("stance.canonical", dict)

    def canon(surface: str, label: str | None = None) -> str | None:
        if not surface:
            return None
        if label == "DESCRIPTION":  # "An aide to President X" is not X: keep the description
            return _tidy(surface)
        key = (surface, label)
        if key not in known:
            try:
                # demonyms and metonyms fold into their country: "Russian troops", "Moscow said"
                name = resolve(a, surface, fold_demonyms=True, fold_metonyms=True)
            except NewsdeskError:
                name = None
            known[key] = str(name) if name else _fallback(a, surface, label)
        return known[key]

    return canon


def article_mentions(article: ArticleLike, *, pipeline: str | None = None) -> pd.DataFrame:
    """Name mentions of the body: columns ``line``, ``start``, ``end`` (offsets into the original
    sentence), ``text``, ``label`` (the entity's label), ``entity`` (canonical), from
    :func:`analysis.names._mentions.mentions` with demonyms and metonyms folded."""
    columns = ["line", "start", "end", "text", "label", "entity"]
    frame = mentions(article, pipeline=pipeline, fold_demonyms=True, fold_metonyms=True)
    out = frame.assign(label=frame["entity_label"])[columns]
    return out[out["line"] >= 0].reset_index(drop=True)
