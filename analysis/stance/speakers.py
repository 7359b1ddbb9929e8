"""Canonical names for speakers and targets, and the article's entity mentions.

The entity layer (:mod:`analysis.entities`: ``resolve(article, surface)`` and
``mentions(article)``) is used when it is installed. Without it a small fallback applies: a
leading article and a possessive are dropped (``the United States`` → ``United States``), a
demonym is mapped to its country (``Russian`` → ``Russia``) and a lone surname to the full name
that the article gives (``Blinken`` → ``Antony Blinken``).
"""

from __future__ import annotations

import functools
import re
from typing import Callable

import pandas as pd

from ..errors import NewsdeskError
from ..seeds import Article
from .parse import analysed_lines

__all__ = ["Canonicaliser", "canonicaliser", "article_mentions", "entity_layer"]

Canonicaliser = Callable[[str, "str | None"], "str | None"]

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

# Demonyms of the countries most often in the news; the entity layer has the full list.
_DEMONYMS = {
    "american": "United States", "us": "United States", "u.s.": "United States", "russian": "Russia",
    "ukrainian": "Ukraine", "french": "France", "german": "Germany", "british": "United Kingdom",
    "chinese": "China", "european": "Europe", "israeli": "Israel", "palestinian": "Palestine",
    "iranian": "Iran", "syrian": "Syria", "turkish": "Turkey", "polish": "Poland",
}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|')$")


def entity_layer() -> tuple[Callable | None, Callable | None]:
    """``(resolve, mentions)`` of :mod:`analysis.entities`, or ``(None, None)`` when absent."""
    try:
        from .. import entities
    except ImportError:
        return None, None
    return getattr(entities, "resolve", None), getattr(entities, "mentions", None)


def _tidy(surface: str) -> str:
    return _POSSESSIVE.sub("", _LEADING.sub("", surface.strip())).strip()


@functools.lru_cache(maxsize=64)
def _person_names(article: Article, model: str | None) -> tuple[str, ...]:
    names: set[str] = set()
    for line in analysed_lines(article, model=model):
        names.update(line.text_of(e.start_char, e.end_char) for e in line.doc.ents if e.label_ == "PERSON")
        # the tagger misses some names ("Dmitry Kozak, the Kremlin …"): take a capitalised
        # proper-noun pair (given name + surname) as well
        for a, b in zip(line.doc, line.doc[1:]):
            if a.pos_ == b.pos_ == "PROPN" and a.is_title and b.is_title and a.ent_type_ in {"", "PERSON"} and b.ent_type_ in {"", "PERSON"}:
                names.add(line.text_of(a.idx, b.idx + len(b.text)))
    return tuple(sorted(names, key=lambda n: (-len(n.split()), n)))


def _fallback(article: Article, surface: str, label: str | None, model: str | None) -> str:
    name = _tidy(surface)
    if name.lower() in _DEMONYMS:
        return _DEMONYMS[name.lower()]
    if label in {"PERSON", None} and len(name.split()) == 1:
        # a lone surname: the article's longest person name ending with it
        for full in _person_names(article, model):
            if full.split()[-1] == name and full != name:
                return _tidy(full)
    return name


def canonicaliser(article: Article, *, model: str | None = None) -> Canonicaliser:
    """A function ``(surface, label) -> canonical name`` for this article.

    Uses ``analysis.entities.resolve`` when present (and when it knows the surface), else the
    fallback described in the module docstring.
    """
    resolve, _ = entity_layer()

    def canon(surface: str, label: str | None = None) -> str | None:
        if not surface:
            return None
        if label == "DESCRIPTION":  # "An aide to President X" is not X: keep the description
            return _tidy(surface)
        if resolve is not None:
            try:
                # demonyms and metonyms fold into their country: "Russian troops", "Moscow said"
                name = resolve(article, surface, model=model, fold_demonyms=True, fold_metonyms=True)
            except TypeError:  # an entity layer without these options
                name = resolve(article, surface)
            except NewsdeskError:
                name = None
            if name:
                return str(name)
        return _fallback(article, surface, label, model)

    return canon


def article_mentions(article: Article, *, model: str | None = None) -> pd.DataFrame:
    """Name mentions of the body: columns ``line``, ``start``, ``end`` (offsets into the original
    sentence), ``text``, ``label``, ``entity`` (canonical).

    From ``analysis.entities.mentions`` when present, else from spaCy's entities on the
    analysed lines with the fallback canonical names.
    """
    columns = ["line", "start", "end", "text", "label", "entity"]
    _, mentions = entity_layer()
    if mentions is not None:
        try:
            frame = mentions(article, model=model, fold_demonyms=True, fold_metonyms=True)
        except TypeError:  # an entity layer without these options
            frame = mentions(article)
        label = frame["entity_label"] if "entity_label" in frame.columns else frame["label"]
        out = frame.assign(label=label)[columns]
        return out[out["line"] >= 0].reset_index(drop=True)
    canon = canonicaliser(article, model=model)
    rows = []
    for line in analysed_lines(article, model=model):
        for ent in line.doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            start, end = line.to_original(ent.start_char, ent.end_char)
            text = line.original[start:end]
            rows.append((line.index, start, end, text, ent.label_, canon(text, ent.label_)))
    return pd.DataFrame(rows, columns=columns)
