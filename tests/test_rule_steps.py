"""The attribute ruler and lemmatizer run per distinct token: the stock components' annotations."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

from analysis import load_article
from analysis._nlp import load_pipeline, parse
from analysis._rule_steps import fast_step
from conftest import SEED

ATTRS = [ORTH, NORM, LEMMA, TAG, POS, MORPH, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]

# Lines that reach the two-token rules (``gon na``, ``let 's``, ``ai n't``), spaces, contractions.
AWKWARD = [
    "I ain't gonna say it, let's wait, he said.",
    "Hes gotta go  now \n and we'd better leave.",
    "",
    "   ",
    "They're not here; it's Kyivs call, not Moscow's.",
]


def _table(doc: Doc) -> list:
    return [doc.to_array(ATTRS).tolist(), [(e.start, e.end, e.label_) for e in doc.ents]]


def test_parse_gives_exactly_what_nlp_pipe_gives_on_the_seed():
    article = load_article(SEED)
    texts = [article.title, *article.sentences, *AWKWARD]
    nlp = load_pipeline()
    expected = [_table(d) for d in nlp.pipe(texts)]
    assert [_table(d) for d in parse(nlp, texts)] == expected
    # The second pass reads signatures already seen: still the same annotations.
    assert [_table(d) for d in parse(nlp, texts[::-1])] == expected[::-1]


def test_the_pinned_pipeline_gets_both_fast_steps():
    nlp = load_pipeline()
    assert fast_step(nlp.get_pipe("attribute_ruler")) is not None
    assert fast_step(nlp.get_pipe("lemmatizer")) is not None
    assert fast_step(nlp.get_pipe("ner")) is None


def _docs(nlp) -> list[Doc]:
    words = ["The", "cat", "sat", " ", "on", "New", "York", "mats", "gon", "na", "win"]
    tags = ["DT", "NN", "VBD", "_SP", "IN", "NNP", "NNP", "NNS", "VBG", "TO", "VB"]
    deps = ["det", "nsubj", "ROOT", "dep", "prep", "compound", "pobj", "appos", "aux", "aux", "conj"]
    heads = [1, 2, 2, 2, 2, 6, 4, 6, 10, 10, 2]
    return [Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads) for _ in range(2)]


def test_a_custom_ruler_with_every_supported_predicate_matches_the_stock_one():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": {"IN": ["NN", "NNS"]}}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"LOWER": {"REGEX": "^ma"}}]], {"MORPH": "Number=Plur"})  # later rule wins
    ruler.add([[{"DEP": {"NOT_IN": ["det", "aux"]}, "TAG": "NNP"}]], {"POS": "PROPN", "LEMMA": "place"})
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    ruler.add([[{"LOWER": "new"}, {"LOWER": "york"}]], {"LEMMA": "New York"}, index=1)
    ruler.add([[{"ORTH": "gon"}, {"ORTH": "na"}]], {"LEMMA": "go"}, index=0)
    stock, fast = _docs(nlp)
    ruler(stock)
    step = fast_step(ruler)
    assert step is not None
    (fast,) = step.pipe([fast])
    assert np.array_equal(fast.to_array(ATTRS), stock.to_array(ATTRS))
    assert fast[7].morph.get("Number") == ["Plur"] and fast[6].lemma_ == "New York" and fast[8].lemma_ == "go"
    # Without a two-token match each token takes its signature's merged attributes directly.
    plain = [Doc(nlp.vocab, words=["mats", " ", "Paris", "cat"], tags=["NNS", "_SP", "NNP", "NN"],
                 deps=["nsubj", "dep", "ROOT", "dobj"], heads=[2, 2, 2, 2]) for _ in range(2)]
    ruler(plain[0])
    step(plain[1])
    assert np.array_equal(plain[1].to_array(ATTRS), plain[0].to_array(ATTRS))
    assert [t.pos_ for t in plain[1]] == ["NOUN", "SPACE", "PROPN", "NOUN"] and plain[1][0].morph.get("Number") == ["Plur"]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "cat", "OP": "?"}],  # an operator
        [{"_": {"flag": True}}],  # an extension attribute
        [{"SHAPE": "Xxx"}],  # an attribute the signature does not hold
        [{"LENGTH": {">=": 3}}],  # a comparison predicate
    ],
)
def test_rules_it_does_not_understand_leave_the_stock_ruler_in_place(pattern):
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")
    ruler.add([pattern], {"POS": "NOUN"})
    assert fast_step(ruler) is None
    # and parse() then runs the stock component
    if "_" in pattern[0] and not Token.has_extension("flag"):
        Token.set_extension("flag", default=False)
    ((fast,), (stock,)) = parse(nlp, ["Cat sat"]), list(nlp.pipe(["Cat sat"]))
    assert [t.pos_ for t in fast] == [t.pos_ for t in stock]


def test_parse_does_not_run_the_stock_per_token_steps(monkeypatch):
    def refuse(self, doc):
        raise AssertionError(f"the stock {type(self).__name__} ran token by token")

    from spacy.pipeline import Lemmatizer

    monkeypatch.setattr(AttributeRuler, "__call__", refuse)
    monkeypatch.setattr(Lemmatizer, "__call__", refuse)
    (doc,) = parse(load_pipeline(), ["Kremlin spokesman Dmitry Peskov said the talks were difficult."])
    assert [t.lemma_ for t in doc][:5] == ["Kremlin", "spokesman", "Dmitry", "Peskov", "say"]
    assert doc[4].pos_ == "VERB" and doc[4].morph.get("Tense") == ["Past"]
