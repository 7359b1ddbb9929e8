"""Reported statements and actor stance on the real seed article and on short real-language texts."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import load_article, parse_article
from analysis.stance import actor_stance, quotes, stance_matrix
from analysis.stance._quotes import QUOTE_COLUMNS

from conftest import SEED

#: Read by hand from the seed: for each line whose speaker is named in that line, the speakers
#: as written (a line can hold two statements, or a statement of two speakers).
NAMED_SPEAKERS: dict[int, set[str]] = {
    0: {"the United States"},
    1: {"Dmitry Kozak"},
    5: {"France"},
    6: {"NATO Secretary General Jens Stoltenberg"},
    7: {"Blinkens deputy Wendy Sherman"},
    8: {"US President Joe Biden"},
    10: {"Sherman"},
    11: {"The United States"},
    12: {"Kremlin spokesman Dmitry Peskov"},
    13: {"France", "Germany"},
    14: {"Blinken"},
    16: {"Secretary of State Antony Blinken"},
    18: {"Andriy Yermak"},
    20: {"The United States"},
    23: {"An aide to French President Emmanuel Macron"},
    24: {"Ukrainian Foreign Minister Dmytro Kuleba"},
    25: {"The United States"},
    26: {"Kozak"},
    27: {"Blinken"},
}
#: Canonical names of the named speakers above (surnames resolved within the article).
CANONICAL: dict[int, set[str]] = {
    1: {"Dmitry Kozak"},
    6: {"Jens Stoltenberg"},
    7: {"Wendy Sherman"},
    8: {"Joe Biden"},
    10: {"Wendy Sherman"},
    12: {"Dmitry Peskov"},
    14: {"Antony Blinken"},
    16: {"Antony Blinken"},
    18: {"Andriy Yermak"},
    24: {"Dmytro Kuleba"},
    26: {"Dmitry Kozak"},
    27: {"Antony Blinken"},
}
PRONOUN_LINES = {4: "She", 9: "he", 19: "He"}
SPEECH_RE = re.compile(r"\b(said|says|told|tells|warned|warning|wrote|made clear)\b")


@pytest.fixture(scope="module")
def table(seed) -> pd.DataFrame:
    return quotes(seed)


def test_columns(table):
    assert list(table.columns) == QUOTE_COLUMNS
    assert set(table["kind"]) <= {"direct", "reported"}
    assert table["resolved"].dtype == bool


def test_every_line_with_a_quote_mark_or_speech_verb_has_a_row(seed, table):
    expected = {i for i, s in enumerate(seed.sentences) if '"' in s or SPEECH_RE.search(s)}
    assert len(expected) >= 20  # the seed is quote-heavy; guards against a broken regex
    assert expected <= set(table["line"])


def test_lines_without_statements_have_no_row(seed, table):
    # plain narration: troops, talks, history
    for line in (3, 15, 28, 29):
        assert line not in set(table["line"]), seed.sentences[line]


@pytest.mark.parametrize("line", sorted(NAMED_SPEAKERS))
def test_named_speakers_are_right(table, line):
    rows = table[table["line"] == line]
    named = set(rows.loc[rows["resolved"], "speaker"])
    assert NAMED_SPEAKERS[line] <= named


@pytest.mark.parametrize("line", sorted(CANONICAL))
def test_canonical_speaker_names(table, line):
    rows = table[(table["line"] == line) & table["resolved"]]
    assert CANONICAL[line] <= set(rows["speaker_entity"])


@pytest.mark.parametrize("line", sorted(PRONOUN_LINES))
def test_pronoun_speakers_are_kept_unresolved(table, line):
    rows = table[table["line"] == line]
    assert PRONOUN_LINES[line] in set(rows["speaker"])
    row = rows[rows["speaker"] == PRONOUN_LINES[line]].iloc[0]
    assert not row["resolved"]
    assert row["speaker_entity"] is None or pd.isna(row["speaker_entity"])
    # the shuffled article gives no antecedent in these lines: no guess
    assert row["candidate"] is None or pd.isna(row["candidate"])


def test_pronoun_with_antecedent_in_the_same_line_gets_a_candidate(table):
    rows = table[(table["line"] == 27) & (table["speaker"] == "he")]
    assert len(rows) == 1
    assert not rows.iloc[0]["resolved"]
    assert rows.iloc[0]["candidate"] == "Antony Blinken"


def test_direct_quotes_carry_the_quoted_words(table):
    kozak = table[table["line"] == 26].iloc[0]
    assert kozak["kind"] == "direct"
    assert kozak["content"] == "We need a supplementary pause. We hope that this process will have results in two weeks"
    aide = table[table["line"] == 23]
    assert set(aide["cue"]) == {"call", "tell"}
    assert "In the current circumstances, we received a good signal" in set(aide["content"])


def test_reported_speech_content_and_cue(table):
    yermak = table[table["line"] == 18].iloc[0]
    assert (yermak["cue"], yermak["kind"]) == ("write", "reported")
    assert yermak["content"].startswith("that the meeting was")
    assert yermak["content"].endswith('"a strong signal of readiness for a peaceful settlement."')
    peskov = table[table["line"] == 12].iloc[0]
    assert peskov["cue"] == "warn" and "destructive" in peskov["content"]


def _article(*sentences: str):
    text = "Talks resume\n20220127\nurn:test:quotes\n" + "\n".join(sentences) + "\n"
    return parse_article(text, id="quotes-test")


def test_inverted_and_twitter_attributions():
    article = _article(
        '"The plan is dead," said Foreign Minister Jan Novak.',
        "Maria Lopez wrote on Twitter that the vote had been postponed.",
        '"We will keep talking," she told reporters in Brussels.',
    )
    table = quotes(article)
    assert table.loc[table["line"] == 0, "speaker"].tolist() == ["Foreign Minister Jan Novak"]
    assert table.loc[table["line"] == 0, "content"].tolist() == ["The plan is dead"]
    twitter = table[table["line"] == 1].iloc[0]
    assert (twitter["speaker"], twitter["cue"], twitter["kind"]) == ("Maria Lopez", "write", "reported")
    she = table[table["line"] == 2].iloc[0]
    assert (she["speaker"], she["resolved"], she["kind"]) == ("she", False, "direct")


def test_actor_stance_on_the_seed(seed):
    stances = actor_stance(seed)
    assert {"favor", "against", "neutral"} >= set(stances["stance"])
    by_pair = {(r.speaker, r.target): r for r in stances.itertuples()}
    # Kuleba: "the Russian troops posed 'a threat to Ukraine'"
    kuleba = by_pair[("Dmytro Kuleba", "Russia")]
    assert kuleba.stance == "against" and 24 in kuleba.evidence
    # Blinken: "NATO's door is open, remains open, and that is our commitment"
    assert by_pair[("Antony Blinken", "NATO")].stance == "favor"
    # Ukraine is the victim in Kuleba's statement, not a target of hostility
    assert by_pair[("Dmytro Kuleba", "Ukraine")].stance == "neutral"
    # pronoun speakers never enter the table
    assert not {"She", "he", "He"} & set(stances["speaker"])
    matrix = stance_matrix(stances)
    assert matrix.loc["Dmytro Kuleba", "Russia"] < 0


def test_actor_stance_with_explicit_targets(seed):
    stances = actor_stance(seed, targets=["NATO"])
    assert set(stances["target"]) == {"NATO"}
    assert "Antony Blinken" in set(stances["speaker"])


def test_passive_non_speech_and_relative_subjects():
    article = _article(
        "Kim and his wife are said to be having problems adding to their family.",
        "Israel has maintained a complete siege over Gaza for eight years.",
        "It is a credible person that is telling me this.",
        "It was said by the Foreign Ministry that the plan would go ahead.",
        "The delay was announced by the Foreign Ministry, which said the talks would resume.",
    )
    table = quotes(article)
    passive = table[table["line"] == 0]
    # "are said": no speaker is named, and the subject of the passive is not one
    assert passive["cue"].tolist() == ["say"]
    assert passive["speaker"].isna().all() and not passive["resolved"].any()
    assert 1 not in set(table["line"])  # "maintained a siege" is no statement
    assert table.loc[table["line"] == 2, "speaker"].tolist() == ["a credible person"]
    assert table.loc[table["line"] == 3, "speaker"].tolist() == ["the Foreign Ministry"]
    # "announced" without a clause is no statement; "which said …" is the ministry's
    assert table.loc[table["line"] == 4, "speaker"].tolist() == ["the Foreign Ministry"]
    assert table.loc[table["line"] == 4, "content"].tolist() == ["the talks would resume"]
