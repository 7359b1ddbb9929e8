"""spaCy's two rule-based steps, applied once per distinct token instead of once per token.

In ``en_core_web_sm`` the attribute ruler and the lemmatizer cost a quarter of a parse (on news
lines about as much as the tagger and the parser together), although neither learns anything:
the ruler's output for a token is a function of a few of its attributes (tag, lowercase form,
dependency label, whether it is a space), and the lemmatizer's a function of orth, part of
speech and morphology. On a corpus most tokens repeat, so both are computed here once per
distinct attribute tuple and written back with ``Doc.from_array``.

The result is the stock components' result, attribute for attribute (a test compares every
token attribute on real text): multi-token patterns still go through a ``Matcher``, and a Doc
where one matches is annotated by the ruler's own ``set_annotations``; in any other Doc each
token gets the attributes its signature's rules leave, in rule order, through the same
``set_token_attrs``. A new tuple is lemmatised by the lemmatizer's own method. A component whose patterns or mode this
module does not understand (another pipeline's custom rules, an extension attribute, an operator)
runs as it is: :func:`fast_step` returns ``None`` for it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from spacy.errors import Errors
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["fast_step"]

# The token attributes a single-token pattern may test for this module to evaluate it, and the
# column each is read from.
_ATTRS = {"TAG": TAG, "LOWER": LOWER, "ORTH": ORTH, "DEP": DEP, "IS_SPACE": IS_SPACE}
_BOOL_ATTRS = {"IS_SPACE"}
_PREDICATES = {"IN", "NOT_IN", "REGEX"}


def fast_step(proc: Any) -> Any | None:
    """A drop-in replacement (``pipe(docs, batch_size=)``) for ``proc``, or ``None`` to run it as is."""
    if type(proc) is AttributeRuler:
        return _FastRuler.build(proc)
    if isinstance(proc, Lemmatizer) and type(proc).__module__.startswith("spacy.") and proc.mode in ("rule", "lookup"):
        return _FastLemmatizer(proc)
    return None


# An equality a single-token pattern requires, by preference: a lowercase form is rarer than a tag.
_ANCHORS = ("LOWER", "ORTH", "TAG", "DEP")


def _anchor(spec: dict[str, Any]) -> tuple[str, str] | None:
    """One ``(attribute, value)`` the spec requires exactly, so only tokens with it are tested."""
    for name in _ANCHORS:
        if isinstance(spec.get(name), str):
            return name, spec[name]
    return None


def _test(spec: dict[str, Any]) -> Callable[[dict[str, Any]], bool] | None:
    """A Python test equal to the Matcher's for one token spec, or ``None`` if not supported."""
    checks = []
    for name, expected in spec.items():
        if name not in _ATTRS:
            return None
        if isinstance(expected, dict):
            if not expected or set(expected) - _PREDICATES or name in _BOOL_ATTRS:
                return None
            for op, value in expected.items():
                if op == "REGEX":
                    if not isinstance(value, str):
                        return None
                    checks.append(lambda t, n=name, r=re.compile(value): bool(r.search(t[n])))
                else:
                    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                        return None
                    values = frozenset(value)
                    inside = op == "IN"
                    checks.append(lambda t, n=name, vs=values, inside=inside: (t[n] in vs) is inside)
        elif name in _BOOL_ATTRS:
            if not isinstance(expected, bool):
                return None
            checks.append(lambda t, n=name, v=expected: t[n] is v)
        else:
            if not isinstance(expected, str):
                return None
            checks.append(lambda t, n=name, v=expected: t[n] == v)
    return lambda token: all(check(token) for check in checks)


class _FastRuler:
    """The attribute ruler with its single-token patterns evaluated per distinct token signature."""

    def __init__(self, ruler: AttributeRuler, tests: list[tuple[int, int, Callable, tuple[str, str] | None]], rest: Matcher | None, names: tuple[str, ...]):
        self.ruler = ruler
        # (attr_id, match_id, test) in rule order, indexed by the equality each test requires so
        # that a new token signature is tested against the few patterns that can match it.
        self._anchored: dict[tuple[str, str], list[tuple[int, int, int, Callable]]] = {}
        self._unanchored: list[tuple[int, int, int, Callable]] = []
        for order, (attr_id, match_id, test, anchor) in enumerate(tests):
            entry = (order, attr_id, match_id, test)
            if anchor is None:
                self._unanchored.append(entry)
            else:
                self._anchored.setdefault(anchor, []).append(entry)
        self._rest = rest  # the multi-token patterns, matched as the ruler matches them
        self._names = names  # attributes in a signature
        self._columns = [_ATTRS[n] for n in names]
        self._known: dict[tuple[int, ...], tuple[tuple[tuple[int, int], ...], dict]] = {}

    @classmethod
    def build(cls, ruler: AttributeRuler) -> "_FastRuler | None":
        strings = ruler.vocab.strings
        tests: list[tuple[int, int, Callable, tuple[str, str] | None]] = []
        rest = Matcher(ruler.vocab, validate=False)
        has_rest = False
        names: set[str] = set()
        for attr_id, attrs in enumerate(ruler.attrs):
            if "_" in attrs:
                return None
            key = str(attr_id)
            if key not in strings:
                return None
            match_id = strings[key]
            found = ruler.matcher.get(match_id)
            if found is None:
                return None
            _, patterns = found
            for pattern in patterns:
                if any(not isinstance(spec, dict) or "OP" in spec for spec in pattern):
                    return None
                if len(pattern) == 1:
                    if ruler.indices[attr_id] not in (0, -1):
                        return None  # the stock ruler raises for it: let it
                    test = _test(pattern[0])
                    if test is None:
                        return None
                    names.update(pattern[0])
                    tests.append((attr_id, match_id, test, _anchor(pattern[0])))
                else:
                    rest.add(key, [pattern])
                    has_rest = True
        return cls(ruler, tests, rest if has_rest else None, tuple(sorted(names)))

    def _matches_for(self, signature: tuple[int, ...]) -> tuple[tuple[tuple[int, int], ...], dict]:
        strings = self.ruler.vocab.strings
        token = {
            name: bool(value) if name in _BOOL_ATTRS else strings[value]
            for name, value in zip(self._names, signature)
        }
        candidates = list(self._unanchored)
        for name in _ANCHORS:
            if name in token:
                candidates.extend(self._anchored.get((name, token[name]), ()))
        candidates.sort(key=lambda entry: entry[0])
        found = tuple((attr_id, match_id) for _, attr_id, match_id, test in candidates if test(token))
        # What the matches set, applied in rule order: a later rule's value of an attribute wins.
        merged: dict = {}
        for attr_id, _ in found:
            merged.update(self.ruler.attrs[attr_id])
        self._known[signature] = (found, merged)
        return found, merged

    def __call__(self, doc: Doc) -> Doc:
        strings = self.ruler.vocab.strings
        rest = [] if self._rest is None else [
            (int(strings[m_id]), m_id, s, e) for m_id, s, e in self._rest(doc, allow_missing=True, as_spans=False)
        ]
        known = self._known
        signatures = map(tuple, doc.to_array(self._columns).tolist()) if self._columns else ()
        if not rest:
            # Only single-token rules matched: each token gets its signature's merged attributes,
            # as applying its matches one by one would leave them.
            for i, signature in enumerate(signatures):
                entry = known.get(signature) or self._matches_for(signature)
                if entry[1]:
                    set_token_attrs(doc[i], entry[1])
            return doc
        matches = rest
        for i, signature in enumerate(signatures):
            entry = known.get(signature) or self._matches_for(signature)
            matches.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in entry[0])
        matches.sort()  # by attribute id, so later rules win, as in AttributeRuler.match
        self.ruler.set_annotations(doc, matches)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class _FastLemmatizer:
    """The lemmatizer with one call of its own method per distinct (orth, POS, morphology)."""

    def __init__(self, lemmatizer: Lemmatizer):
        self.lemmatizer = lemmatizer
        self._known: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)
        overwrite = lemmatizer.overwrite
        known = self._known
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = known.get(key)
            if value is None:
                value = known[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)
