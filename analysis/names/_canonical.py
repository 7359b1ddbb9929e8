"""Canonical entities: which name in an article each mention stands for.

Merging is algorithmic first, with two small data files for what no rule can know:

1. **Surface clean-up**: a leading article and a trailing possessive are dropped
   (``the Kremlin`` → ``Kremlin``, ``NATO's`` → ``NATO``).
2. **Alias tables**: ``aliases.csv`` (analyst additions, consulted first) and ``countries.csv``
   (well-known country names: ``US``, ``U.S.``, ``the United States``, ``America`` → United States).
3. **Demonyms and metonyms** (``Russian``, ``Moscow``, ``the Kremlin`` → Russia) are folded onto the
   country only when asked; a demonym is recognised from ``countries.csv`` or by its form
   (``Ukrainian`` is ``Ukraine`` + ``-ian``) against the places the article names.
4. **Person names**: leading titles are dropped (``Secretary of State Antony Blinken``) and a
   surname alone is merged with the one full name of the article that ends with it
   (``Blinken`` → ``Antony Blinken``), as in within-document coreference of proper names
   (cf. the "one sense per discourse" heuristic, Gale, Church & Yarowsky 1992).
5. **Acronyms**: an upper-case acronym is merged with a name of the article whose initials spell
   it (``NATO`` ↔ ``North Atlantic Treaty Organization``; Schwartz & Hearst 2003 style matching).

The label of a canonical entity is the majority label of its mentions.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Mapping, NamedTuple

from .._language import ACRONYM_STOP_WORDS, DEMONYM_SUFFIXES, TITLE_WORDS
from ..errors import AliasFileError

__all__ = [
    "ALIASES_FILE",
    "COUNTRIES_FILE",
    "MERGE_STEPS",
    "AliasFileError",
    "Gazetteer",
    "load_gazetteer",
    "clean_surface",
    "surface_key",
    "strip_title",
    "demonym_place",
    "acronym_of",
    "canonicalize",
    "majority_label",
]

_HERE = Path(__file__).resolve().parent
ALIASES_FILE = _HERE / "aliases.csv"
COUNTRIES_FILE = _HERE / "countries.csv"

_LEADING_DETERMINER = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")


class Gazetteer(NamedTuple):
    """The alias tables, keyed by :func:`surface_key`."""

    aliases: Mapping[str, str]  # surface key -> canonical entity (analyst file, then countries)
    labels: Mapping[str, str]  # canonical entity -> label given by a data file
    demonyms: Mapping[str, str]  # demonym key -> country
    metonyms: Mapping[str, str]  # metonym key -> country
    acronyms: frozenset[str] = frozenset()  # keys written in capitals (US, UK): match capitals only


def surface_key(surface: str) -> str:
    """Key used to compare surfaces: no leading ``the``, no dots, single spaces, lower case."""
    text = _LEADING_DETERMINER.sub("", surface.strip())
    return re.sub(r"\s+", " ", text.replace(".", "")).strip().lower()


def clean_surface(surface: str) -> str:
    """Drop a leading ``the``, a trailing possessive and stray spaces: ``the Kremlin's`` → ``Kremlin``."""
    text = re.sub(r"\s+", " ", surface).strip()
    text = _POSSESSIVE.sub("", _LEADING_DETERMINER.sub("", text)).strip()
    return text.strip(" -\u2013\u2014,;:\"'")


def _read_table(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.startswith("#")]
    if not lines:
        return rows
    reader = csv.reader([line for _, line in lines])
    header = next(reader)
    missing = [c for c in columns[:2] if c not in header]
    if missing:
        raise AliasFileError(f"{path}:{lines[0][0]}: header lacks column(s) {', '.join(missing)}")
    for (number, _), values in zip(lines[1:], reader):
        if len(values) > len(header):
            raise AliasFileError(f"{path}:{number}: {len(values)} fields, header has {len(header)}")
        row = dict(zip(header, (v.strip() for v in values)))
        if not row.get(columns[0]) or not row.get(columns[1]):
            raise AliasFileError(f"{path}:{number}: '{columns[0]}' and '{columns[1]}' must not be empty")
        rows.append(row)
    return rows


@functools.lru_cache(maxsize=8)
def load_gazetteer(aliases: str | Path | None = None) -> Gazetteer:
    """Read ``countries.csv`` and the analyst alias file (``aliases.csv`` unless ``aliases`` is given).

    Raises:
        AliasFileError: a file lacks a column or a row is malformed.
    """
    alias_map: dict[str, str] = {}
    labels: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    metonyms: dict[str, str] = {}
    acronyms: set[str] = set()
    for row in _read_table(COUNTRIES_FILE, ("entity", "label")):
        entity = row["entity"]
        labels[entity] = row["label"]
        alias_map[surface_key(entity)] = entity
        for column, target in (("aliases", alias_map), ("demonyms", demonyms), ("metonyms", metonyms)):
            for alias in filter(None, (a.strip() for a in row.get(column, "").split("|"))):
                target.setdefault(surface_key(alias), entity)
                if _is_acronym(alias):
                    acronyms.add(surface_key(alias))
    # The analyst's table wins over the built-in one.
    for row in _read_table(Path(aliases) if aliases else ALIASES_FILE, ("alias", "entity")):
        alias_map[surface_key(row["alias"])] = row["entity"]
        alias_map.setdefault(surface_key(row["entity"]), row["entity"])
        if row.get("label"):
            labels[row["entity"]] = row["label"]
    return Gazetteer(alias_map, labels, demonyms, metonyms, frozenset(acronyms))


def _is_acronym(surface: str) -> bool:
    letters = _LEADING_DETERMINER.sub("", surface).replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5


def strip_title(name: str) -> str:
    """Drop title words before a name: ``Secretary of State Antony Blinken`` → ``Antony Blinken``.

    The name is returned unchanged when nothing but title words would remain.
    """
    words = name.split()
    first = 0
    while first < len(words) - 1 and words[first].lower() in TITLE_WORDS:
        first += 1
    return " ".join(words[first:])


def demonym_place(surface: str, places: Iterable[str], gazetteer: Gazetteer) -> str | None:
    """The place a demonym names (``Ukrainian`` → ``Ukraine``), or ``None`` if it is not one.

    Looks in the country table, then matches the form against ``places``: a demonym suffix
    (``-ian``, ``-an``, ``-ese``, ``-ish``, ``-i``) on a stem that the place name starts with, minus
    at most its last letter (``Russia``+``n``, ``German``+``y``, ``Europe``+``an``).
    """
    key = surface_key(surface)
    if key in gazetteer.demonyms:
        return gazetteer.demonyms[key]
    if not surface[:1].isupper() or " " in surface:
        return None
    lower = surface.lower()
    for place in places:
        stem_place = place.lower()
        if " " in stem_place or len(stem_place) < 4 or lower == stem_place:
            continue
        for suffix in DEMONYM_SUFFIXES:
            if not lower.endswith(suffix) or len(lower) - len(suffix) < 4:
                continue
            stem = lower[: -len(suffix)]
            if stem_place.startswith(stem) and len(stem_place) - len(stem) <= 1:
                return place
            if stem.startswith(stem_place) and len(stem) - len(stem_place) <= 1:
                return place
    return None


def acronym_of(name: str) -> str:
    """Initials of a multi-word name, skipping function words: ``North Atlantic Treaty Organization`` → ``NATO``."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ACRONYM_STOP_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha()) if len(words) > 1 else ""


def majority_label(labels: Iterable[str]) -> str:
    """Most common label; ties go to the label seen first."""
    counts = Counter(labels)
    if not counts:
        return ""
    best = max(counts.values())
    return next(label for label in counts if counts[label] == best)


# --------------------------------------------------------------------------- merging

class _Surface(NamedTuple):
    text: str  # cleaned surface
    label: str


#: A merge step maps each cleaned surface to a canonical name (or leaves it out).
MergeStep = Callable[[dict[str, str], list[_Surface], Gazetteer, dict], None]


def _aliases(mapping: dict[str, str], surfaces: list[_Surface], gaz: Gazetteer, options: dict) -> None:
    for surface in surfaces:
        key = surface_key(surface.text)
        # "US" and "U.S." are the United States; "Us" (the magazine, a pronoun) is not.
        if key in gaz.aliases and (key not in gaz.acronyms or _is_acronym(surface.text)):
            mapping[surface.text] = gaz.aliases[key]
        elif surface.label == "PERSON":
            mapping[surface.text] = strip_title(surface.text)


def _folding(mapping: dict[str, str], surfaces: list[_Surface], gaz: Gazetteer, options: dict) -> None:
    for surface in surfaces:
        if options.get("fold_demonyms") and surface.text in options.get("demonyms", {}):
            mapping[surface.text] = options["demonyms"][surface.text]
        elif options.get("fold_metonyms") and surface_key(surface.text) in gaz.metonyms:
            mapping[surface.text] = gaz.metonyms[surface_key(surface.text)]


def _surnames(mapping: dict[str, str], surfaces: list[_Surface], gaz: Gazetteer, options: dict) -> None:
    persons = {mapping[s.text] for s in surfaces if s.label == "PERSON"}
    full_names = {name for name in persons if len(name.split()) >= 2}
    by_last: dict[str, set[str]] = {}
    for name in full_names:
        by_last.setdefault(name.split()[-1], set()).add(name)
    for surface in surfaces:
        current = mapping[surface.text]
        words = strip_title(current).split()
        if not words:
            continue
        # "Blinken" (any label: the tagger may call a lone surname ORG) or "Vladimir Putin"
        # inside "Vladimir V. Putin": the one full name that ends with the same surname.
        candidates = {n for n in by_last.get(words[-1], set()) if n != current}
        if surface.label != "PERSON" and len(words) > 1:
            continue
        if len(candidates) == 1 and (len(words) == 1 or set(words) <= set(next(iter(candidates)).split())):
            target = next(iter(candidates))
            if len(target.split()) > len(words):
                mapping[surface.text] = target


def _acronyms(mapping: dict[str, str], surfaces: list[_Surface], gaz: Gazetteer, options: dict) -> None:
    expansions: dict[str, set[str]] = {}
    for name in set(mapping.values()):
        initials = acronym_of(name)
        if len(initials) >= 2:
            expansions.setdefault(initials, set()).add(name)
    for surface in surfaces:
        current = mapping[surface.text]
        key = current.replace(".", "")
        if key.isupper() and 2 <= len(key) <= 8 and len(expansions.get(key, ())) == 1:
            mapping[surface.text] = next(iter(expansions[key]))


#: The merge steps in the order they run: each reads the mapping the ones before it made
#: (surnames and acronyms are matched against names the alias tables already resolved).
MERGE_STEPS: tuple[MergeStep, ...] = (_aliases, _folding, _surnames, _acronyms)


def canonicalize(
    surfaces: Iterable[tuple[str, str]],
    *,
    gazetteer: Gazetteer | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    demonyms: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Map each cleaned surface of one article to its canonical entity name.

    Args:
        surfaces: ``(cleaned surface, spaCy label)`` pairs of the article's mentions.
        gazetteer: alias tables (default :func:`load_gazetteer`).
        fold_demonyms: map demonyms (given in ``demonyms``: surface → place) onto the place.
        fold_metonyms: map capitals and seats of government onto the country.
        demonyms: the article's demonym surfaces and the place each names.

    Returns:
        ``{surface: canonical name}`` for every distinct surface.
    """
    gaz = gazetteer or load_gazetteer()
    unique = list(dict.fromkeys(_Surface(text, label) for text, label in surfaces))
    mapping = {s.text: s.text for s in unique}
    options = {"fold_demonyms": fold_demonyms, "fold_metonyms": fold_metonyms, "demonyms": dict(demonyms or {})}
    for step in MERGE_STEPS:
        step(mapping, unique, gaz, options)
    return mapping
