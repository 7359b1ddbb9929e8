"""The fast paths of the reordering model equal their plain definitions, bit for bit.

Features read from spaCy's arrays against the same cues computed token by token; the table
form of the tree ensembles against the node walk and scikit-learn; the pair trees over all
pairs at once against the pair rows; the pruned exact decoder and the batched local search
against the straightforward algorithms; ``predict_docs`` against ``predict``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from conftest import CORPORA, SEED, needs_shared

from analysis._repair import written_docs
from analysis._nlp import annotate
from analysis.ordering._cues import article_cues
from analysis.ordering._decode import borda_order, decode, exact_order, greedy_order, local_search, order_score
from analysis.ordering._exact import full_exact_order, pruned_exact_order
from analysis.ordering._features import PAIR_FEATURES, SENTENCE_FEATURES, _strip_dateline, article_features
from analysis.ordering._pair_features import pair_features
from analysis.ordering._pairwise import PairwiseOrdering
from analysis.ordering._position import TreeEnsemble, fit_trees
from analysis.ordering._tokens import article_tokens, noun_chunks, span_root
from analysis.ordering._trees import compile_trees, walk_leaves
from analysis.ordering._meaning import MEANING_PAIR_FEATURES
from analysis.ordering._weights import MODEL_DIR, PairwiseModel


@pytest.fixture(scope="module")
def model() -> PairwiseModel:
    return PairwiseModel.load(MODEL_DIR)


def _stripped(article):
    return [_strip_dateline(d, s)[0] for d, s in zip(written_docs(list(article.sentences)), article.sentences)]


# --------------------------------------------------------------------------- cues, token by token

_ROLE = {"nsubj": 0, "nsubjpass": 0, "csubj": 0, "agent": 0, "expl": 0, "dobj": 1, "obj": 1, "iobj": 1, "attr": 1, "oprd": 1}


def _reference_cues(doc) -> dict:
    """The sentence cues as first defined, walking spaCy tokens."""
    grid, mentions = {}, {}
    for t in doc:
        if t.pos_ in {"NOUN", "PROPN"} and t.dep_ != "compound":
            grid[t.lemma_.lower()] = min(_ROLE.get(t.dep_, 2), grid.get(t.lemma_.lower(), 2))
    for chunk in doc.noun_chunks:
        if chunk.root.pos_ in {"NOUN", "PROPN"}:
            key = chunk.root.lemma_.lower()
            mentions[key] = max(mentions.get(key, 0), sum(1 for t in chunk if not t.is_punct and t.dep_ != "det"))
    tense = [0.0] * 5
    indefinite, definite = set(), set()
    for t in doc:
        if t.tag_ == "VBD" and t.lemma_ != "have":
            tense[0] = 1.0
        elif t.tag_ in {"VBZ", "VBP"} and t.dep_ == "ROOT":
            tense[1] = 1.0
        elif t.tag_ == "MD":
            tense[4] = 1.0
        elif t.tag_ == "VBN":
            aux = {c.lower_ for c in t.children if c.dep_ in {"aux", "auxpass"}}
            if aux & {"has", "have"}:
                tense[2] = 1.0
            elif "had" in aux:
                tense[3] = 1.0
        if t.pos_ == "NOUN":
            dets = {c.lower_ for c in t.children if c.dep_ == "det"}
            if dets & {"a", "an"}:
                indefinite.add(t.lemma_.lower())
            elif "the" in dets:
                definite.add(t.lemma_.lower())
    full, single, run = set(), set(), []
    for t in list(doc) + [None]:
        if t is not None and t.pos_ == "PROPN" and t.is_alpha and t.text[0].isupper():
            run.append(t.text.lower())
            continue
        (full if len(run) >= 2 else single).update(run[-1:])
        run = []
    used = {t.text for t in doc if t.is_upper and t.is_alpha and 2 <= len(t) <= 6}
    words = [t.text for t in doc if t.is_alpha]
    defined = {a for a in used if a in "".join(w[0] for w in words if w[0].isupper() and w != a)}
    tokens = [t for t in doc if not t.is_punct and not t.is_space]
    first = next((t.lower_ if t.is_stop else f"<{t.pos_}>" for t in tokens), "")
    return {
        "first": first,
        "body": doc.text.lstrip(),
        "n_words": len(tokens),
        "n_chars": max(1, sum(len(t) for t in tokens)),
        "n_propn": sum(t.pos_ == "PROPN" for t in tokens),
        "lowers": {t.lower_ for t in doc},
        "lemmas": {t.lemma_.lower() for t in doc},
        "content": {t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and len(t) > 2},
        "ents": {e.text.lower() for e in doc.ents if e.label_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}},
        "grid": grid,
        "mentions": mentions,
        "tense": tuple(tense),
        "indefinite": indefinite,
        "definite": definite,
        "chains_full": full,
        "chains_single": single,
        "acronyms_used": used,
        "acronyms_defined": defined,
        "appositives": sum(t.dep_ == "appos" and t.head.pos_ == "PROPN" for t in doc),
        "has_number": any(t.like_num for t in doc),
        "order_lemmas": {t.lemma_.lower() for t in doc if t.is_alpha and len(t) > 1 and t.pos_ not in {"PROPN", "NUM"}},
    }


def _check_cues(docs) -> None:
    cues = article_cues(article_tokens(docs), len(docs))
    for doc, cue in zip(docs, cues):
        for name, expected in _reference_cues(doc).items():
            assert getattr(cue, name) == expected, (doc.text, name)


def test_cues_from_arrays_equal_the_token_walk(seed) -> None:
    _check_cues(_stripped(seed))


@needs_shared
def test_cues_from_arrays_equal_the_token_walk_on_the_corpora() -> None:
    from analysis._seeds import load_corpus

    for name in ("conll2003-dev", "fnc1-order-dev"):
        for article in load_corpus(CORPORA / name / "articles").articles[:40]:
            _check_cues(_stripped(article))


def test_token_table_and_noun_chunks_follow_spacy(seed) -> None:
    docs = _stripped(seed)
    for doc, table in zip(docs, article_tokens(docs).tables):
        assert table.text == [t.text for t in doc] and table.lemma == [t.lemma_.lower() for t in doc]
        assert table.head == [t.head.i for t in doc] and table.doc_text == doc.text
        chunks = [(c.start, c.end) for c in doc.noun_chunks]
        assert noun_chunks(table) == chunks
        assert [span_root(table, a, b) for a, b in chunks] == [c.root.i for c in doc.noun_chunks]
        assert [table.span_text(e.start, e.end) for e in doc.ents] == [e.text for e in doc.ents]


def test_pair_features_equal_the_pair_loop(seed) -> None:
    features = article_features(seed)
    cues = article_cues(article_tokens(_stripped(seed)), seed.n_sentences)
    rows, n = features.sentence, seed.n_sentences
    cue_pairs = len(PAIR_FEATURES) - len(MEANING_PAIR_FEATURES)  # the vector cues are tested apart
    expected = np.zeros((n, n, cue_pairs))
    for i, j in itertools.permutations(range(n), 2):
        a, b, v = cues[i], cues[j], expected[i, j]
        shared = bool(a.content & b.content)
        v[0] = len(a.persons_full & b.persons_single)
        v[1] = float(rows[j, 2] > 0 and bool(a.persons_full | a.persons_single))
        v[2] = float(rows[j, 3] > 0 and shared)
        v[3] = len(a.acronyms_defined & (b.acronyms_used - b.acronyms_defined))
        v[4] = len(a.indefinite & b.definite)
        v[5] = float(rows[j, 4] > 0 and shared)
        v[6] = float(rows[j, 1] > 0 and bool(a.ents & b.ents))
        v[7] = sum(1 for s in b.names for l in a.names if len(s) < len(l) and l.endswith(" " + s) and s not in a.names)
        v[8] = len(a.chains_full & (b.chains_single - b.chains_full))
        heads = a.mentions.keys() & b.mentions.keys()
        v[9] = sum(a.mentions[h] > b.mentions[h] for h in heads) / math.sqrt(max(1, len(heads)))
        v[10] = float(rows[i, 8] > 0 and rows[j, 9] > 0)  # quote_opens, then quote_closes
        for key in a.grid.keys() | b.grid.keys():
            ra, rb = a.grid.get(key, 3), b.grid.get(key, 3)
            v[11 + ra * 4 + rb] += 1.0  # (absent, absent) is the one left out, last
        v[11:] /= max(1.0, math.sqrt(len(a.grid) + len(b.grid)))
    np.testing.assert_array_equal(pair_features(cues, rows, SENTENCE_FEATURES), expected)
    np.testing.assert_array_equal(features.pair[:, :, :cue_pairs], expected)


def test_given_title_doc_is_used_as_is(seed) -> None:
    docs, title = written_docs(list(seed.sentences)), annotate([seed.title])[0]
    given = article_features(seed, docs=docs, title_doc=title)
    annotated = article_features(seed)
    np.testing.assert_array_equal(given.sentence, annotated.sentence)
    np.testing.assert_array_equal(given.pair, annotated.pair)
    other = article_features(seed, docs=docs, title_doc=annotate(["Unrelated headline about football"])[0])
    assert not np.array_equal(other.sentence, given.sentence)  # the title is read from title_doc


# --------------------------------------------------------------------------- trees


def _random_ensemble(max_leaf_nodes: int) -> tuple[TreeEnsemble, np.ndarray]:
    rng = np.random.default_rng(max_leaf_nodes)
    x = rng.normal(size=(3000, 8))
    x[:, :3] = np.round(x[:, :3])  # ties and shared thresholds
    y = (x[:, 0] * x[:, 1] + np.sin(x[:, 3]) + 0.3 * rng.normal(size=3000) > 0).astype(int)
    options = dict(max_iter=30, learning_rate=0.1, max_leaf_nodes=max_leaf_nodes, min_samples_leaf=5)
    return fit_trees(x, y, np.ones(3000), seed=0, options=options, classifier=True), rng.normal(size=(400, 8))


@pytest.mark.parametrize("max_leaf_nodes", [4, 15, 31])
def test_table_trees_equal_the_node_walk(max_leaf_nodes: int) -> None:
    trees, x = _random_ensemble(max_leaf_nodes)
    x[:, :3] = np.round(x[:, :3])
    walked = walk_leaves(trees.feature, trees.threshold, trees.left, trees.right, trees.roots, x)
    assert (trees.compiled is None) == (max_leaf_nodes > 17)  # 30 splits: too many for a table
    np.testing.assert_array_equal(trees.leaves(x), walked)
    np.testing.assert_array_equal(trees.predict(x), trees.baseline + trees.value[walked].sum(axis=0))


def test_committed_trees_compile_to_tables(model) -> None:
    for trees in (model.position, model.pair_trees):
        compiled = compile_trees(trees.feature, trees.threshold, trees.left, trees.right, trees.roots)
        assert compiled is not None and compiled.n_bits == 14
        assert np.all(np.diff(compiled.feature) >= 0)  # sorted by feature


@pytest.mark.parametrize("wire", [0.0, 1.0])
def test_pair_trees_over_all_pairs_equal_the_pair_rows(seed, model, wire: float) -> None:
    features = article_features(seed)
    features = dataclasses.replace(features, datelines=(bool(wire),) + (False,) * (seed.n_sentences - 1))
    sentence = model.sentence_matrix(features)
    lexical = model.lexical.pair_column(features)
    rows, i, j = model._pair_rows(features, sentence, lexical)
    expected = np.zeros((seed.n_sentences,) * 2)
    expected[i, j] = (model.pair_trees.predict(rows) - model.pair_trees.predict(-rows)) / 2
    np.testing.assert_array_equal(model._tree_logits(features, sentence, lexical), expected)


def test_lexical_pair_column_equals_the_full_table_product(seed, model) -> None:
    features = article_features(seed)
    lexical = model.lexical
    presence = lexical._presence(features)[:, lexical.pair_index]
    norm = np.maximum(presence.sum(axis=1), 1.0)
    expected = presence @ lexical.precedence.astype(np.float64) @ presence.T / np.sqrt(norm[:, None] * norm[None, :])
    np.testing.assert_array_equal(lexical.pair_column(features), expected)


# --------------------------------------------------------------------------- decoding


def _full_programme(weights: np.ndarray, lead: np.ndarray) -> tuple[int, ...]:
    """The unpruned dynamic programme over all subsets (first of equal candidates wins)."""
    n = weights.shape[0]
    masks = np.arange(1 << n)
    before = ((masks[:, None] >> np.arange(n)) & 1).astype(float) @ weights
    best, last = {0: 0.0}, {}
    for mask in sorted(range(1, 1 << n), key=lambda m: bin(m).count("1")):
        for j in range(n):
            if mask >> j & 1:
                prev = mask ^ (1 << j)
                value = best[prev] + before[prev, j] + (lead[j] if prev == 0 else 0.0)
                if mask not in best or value > best[mask]:
                    best[mask], last[mask] = value, j
    order, mask = [], (1 << n) - 1
    while mask:
        order.append(last[mask])
        mask ^= 1 << last[mask]
    return tuple(reversed(order))


def _one_by_one(weights: np.ndarray, order, lead: np.ndarray, max_passes: int = 50) -> tuple[int, ...]:
    """Local search evaluating one sentence at a time."""
    current = list(order)
    for _ in range(max_passes):
        improved = False
        for x in list(current):
            p = current.index(x)
            rest = current[:p] + current[p + 1 :]
            idx = np.asarray(rest)
            into = np.concatenate(([0.0], np.cumsum(weights[idx, x])))
            out = weights[x, idx].sum() - np.concatenate(([0.0], np.cumsum(weights[x, idx])))
            gain = into + out
            gain += lead[rest[0]]
            gain[0] += lead[x] - lead[rest[0]]
            q = int(np.argmax(gain))
            if gain[q] > gain[p] + 1e-12:
                rest.insert(q, x)
                current, improved = rest, True
        if not improved:
            break
    return tuple(current)


def _problems(count: int, sizes: tuple[int, int]):
    rng = np.random.default_rng(11)
    for k in range(count):
        n = int(rng.integers(*sizes))
        weights = np.log(rng.uniform(0.02, 1.0, size=(n, n)))
        if k % 3 == 0:
            weights = np.round(weights, 1)  # many exact ties
        np.fill_diagonal(weights, 0.0)
        yield weights, np.round(rng.normal(size=n), 1 if k % 2 else 3)


def test_exact_decoders_equal_the_full_programme() -> None:
    for weights, lead in itertools.chain(_problems(40, (1, 11)), _problems(3, (14, 16))):
        expected = _full_programme(weights, lead)
        lower = order_score(borda_order(weights, lead), weights, lead)
        assert pruned_exact_order(weights, lead, lower) == expected
        assert full_exact_order(weights, lead) == expected
        assert exact_order(weights, lead) == expected


def test_batched_local_search_equals_one_sentence_at_a_time() -> None:
    for weights, lead in _problems(30, (2, 30)):
        for start in (borda_order(weights, lead), greedy_order(weights, lead), tuple(range(len(lead)))):
            assert local_search(weights, start, lead) == _one_by_one(weights, start, lead)
            assert local_search(weights, start, lead, max_passes=1) == _one_by_one(weights, start, lead, 1)


def test_decode_keeps_the_best_local_optimum() -> None:
    for weights, lead in _problems(10, (17, 30)):
        found = decode(weights, lead)
        rng = np.random.default_rng(0)
        borda = borda_order(weights, lead)
        starts = [borda, greedy_order(weights, lead)] + [tuple(borda[k] for k in rng.permutation(len(lead))) for _ in range(6)]
        expected = max((_one_by_one(weights, s, lead) for s in starts), key=lambda o: order_score(o, weights, lead))
        assert found == expected


# --------------------------------------------------------------------------- prediction from Docs


def test_predict_docs_equals_predict(seed) -> None:
    method = PairwiseOrdering()
    from_docs = method.predict_docs(seed, written_docs(list(seed.sentences)), annotate([seed.title])[0])
    assert from_docs == method.predict(seed)
