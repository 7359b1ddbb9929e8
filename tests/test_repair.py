"""Text repair: wire datelines, stripped apostrophes, offsets back to the original."""

from __future__ import annotations

import pytest

from analysis import load_article, parse_article
from analysis._language import CONTRACTIONS
from analysis._repair import (
    TITLE_LINE,
    detect_dateline,
    keeps_apostrophes,
    pipeline_lemmas,
    repair_article,
    repair_sentence,
)

from conftest import SEED


@pytest.mark.parametrize(
    ("sentence", "place", "agency", "date", "rest"),
    [
        ("WASHINGTON AFP - The United States on Wednesday rejected", "WASHINGTON", "AFP", None, "The United States"),
        ("LONDON (Reuters) - Shares fell on Monday.", "LONDON", "Reuters", None, "Shares fell"),
        ("MOSCOW, Jan 27 (AP) - Russia said it would reply.", "MOSCOW", "AP", "Jan 27", "Russia said"),
        ("GENEVA 1996-08-30 - UEFA came down heavily on Belgian club", "GENEVA", None, "1996-08-30", "UEFA came"),
        ("MONTGOMERY, Ala. 1996-08-22 - A jury convicted", "MONTGOMERY, Ala.", None, "1996-08-22", "A jury"),
        ("MONTE CARLO 1996-08-30 - Olympic champion Kenny Harrison", "MONTE CARLO", None, "1996-08-30", "Olympic"),
        ("DUBAI - A prominent Saudi Arabian cleric said", "DUBAI", None, None, "A prominent"),
        ("(CNN) -- A man was arrested", None, "CNN", None, "A man"),
        ("KIEV, Ukraine (AP) \u2014 Officials said on Friday", "KIEV, Ukraine", "AP", None, "Officials"),
        ("LONDON 1996-08-22 - - Secondhand tonnage brokers reported", "LONDON", None, "1996-08-22", "Secondhand"),
    ],
)
def test_detect_dateline_finds_wire_datelines(sentence, place, agency, date, rest):
    found = detect_dateline(sentence)
    assert found is not None
    assert (found.place, found.agency, found.date) == (place, agency, date)
    assert found.start == 0 and found.text == sentence[: found.end]
    assert sentence[found.end:].startswith(rest)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukraine - the country at the centre of the crisis - said no.",
        "NATO - the US-backed alliance - has put troops on standby.",
        "The United States - and its allies - rejected the demand.",
        "US-backed forces said - again - that they would stay.",
        "Blinken said the reply - delivered in writing - was firm.",
        "But Zelensky has stood firm against another French suggestion.",
        "A man - who declined to be named - said so.",
        "WASHINGTON - the capital - was quiet.",  # lower case after the dash: an aside
    ],
)
def test_detect_dateline_ignores_ordinary_sentences(sentence):
    assert detect_dateline(sentence) is None


def test_contractions_restored_but_real_words_kept():
    text = "I cant say hes ready and Dont ask; its well known we were ill, the shell was hell."
    repaired = repair_sentence(text)
    assert repaired.text == "I can't say he's ready and Don't ask; its well known we were ill, the shell was hell."
    assert [r.reason for r in repaired.repairs] == ["stripped contraction"] * 3
    for word in ("its", "well", "were", "shell", "hell", "ill", "wed", "lets"):
        assert word not in CONTRACTIONS


def test_possessive_needs_evidence_and_a_following_word():
    text = "Ukraines border is tense, the Koreas met, and republics voted for Ukraines."
    assert repair_sentence(text).text == text  # no evidence: nothing changes
    repaired = repair_sentence(text, known_names={"Ukraine", "Korea"})
    # "Ukraines." ends the sentence and "the Koreas" is a plural: both stay.
    assert repaired.text == "Ukraine's border is tense, the Koreas met, and republics voted for Ukraines."
    assert len(repaired.repairs) == 1 and repaired.repairs[0].original == "Ukraines"


def test_not_names_block_demonym_plurals():
    text = "Americans say Russians want talks."
    repaired = repair_sentence(text, known_names={"American"}, not_names={"Americans", "Russians"})
    assert repaired.text == text


def test_dictionary_rule_uses_model_lemmas():
    lemmas = pipeline_lemmas()
    assert {"china", "republic", "company"} <= lemmas
    text = "The slowdown hit Chinas economy but not the republics."
    # Only words the tagger put inside a place name qualify.
    assert repair_sentence(text, vocab=lemmas).text == text
    repaired = repair_sentence(text, vocab=lemmas, places={"Chinas"})
    assert repaired.text == "The slowdown hit China's economy but not the republics."
    # All-capital stems are acronym plurals far more often than possessives.
    assert repair_sentence("Two MPs left.", vocab=lemmas, places={"MPs"}).text == "Two MPs left."


def test_offsets_map_back_to_the_original():
    original = "WASHINGTON AFP - The United States rejected Russias key demand, I cant say."
    repaired = repair_sentence(original, known_names={"Russia"})
    assert repaired.text == "The United States rejected Russia's key demand, I can't say."
    checks = {"The United States": "The United States", "Russia": "Russia", "Russia's": "Russias",
              "key demand": "key demand", "can't": "cant", "say.": "say."}
    for fixed, written in checks.items():
        start = repaired.text.index(fixed)
        span = repaired.to_original(start, start + len(fixed))
        assert original[span[0]:span[1]] == written
    # Mapping is monotone over every position of the repaired text.
    starts = [repaired.to_original(i, i)[0] for i in range(len(repaired.text) + 1)]
    assert starts == sorted(starts)


def test_repair_is_identity_on_clean_text():
    text = "Germany's new coalition government said it can't decide yet."
    repaired = repair_sentence(text, known_names={"Germany"}, vocab=pipeline_lemmas())
    assert repaired.text == text and repaired.repairs == () and repaired.to_original(3, 9) == (3, 9)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not in seeds/")
def test_seed_article_repairs():
    article = load_article(SEED)
    repaired = repair_article(article)
    # Read from the article: every stripped apostrophe, and nothing else (no "United State's").
    expected = {
        (0, "Ukraines"), (2, "Ukraines"), (7, "Blinkens"), (9, "Russias"), (10, "hes"), (14, "cant"),
        (14, "NATOs"), (16, "Ukraines"), (21, "Ukraines"), (22, "Ukraines"), (25, "Russias"),
        (28, "Germanys"), (28, "Europes"), (25, "WASHINGTON AFP - "),
    }
    assert {(r.line, r.original) for r in repaired.repairs} == expected
    assert repaired.dateline is not None and repaired.dateline_line == 25
    assert (repaired.dateline.place, repaired.dateline.agency) == ("WASHINGTON", "AFP")
    assert repaired.texts[25].startswith("The United States on Wednesday rejected Russia's key demand")
    assert repaired.title.text == article.title and repaired.title.repairs == ()
    assert "Soviet republics east" in repaired.texts[15]  # a plural stays a plural
    for r in repaired.repairs:
        line = article.title if r.line == TITLE_LINE else article.sentences[r.line]
        assert line[r.start:r.end] == r.original


def test_no_apostrophe_is_restored_in_a_text_that_keeps_them():
    body = ("Michael Phelps has yet to comment.\nPhelps's agent said Phelps training was over.\n"
            "Guns N' Roses frontman Axl Rose said they dont know.\nRose was in Los Angeles.")
    article = parse_article(f"Phelps news\n20220101\nurn:test:2\n{body}\n", id="kept")
    repaired = repair_article(article)
    assert repaired.apostrophes_kept and repaired.texts == article.sentences
    assert keeps_apostrophes(["He can\u2019t."]) and not keeps_apostrophes(["Ukraines border", "Reuters' story"])


def test_possessive_is_followed_by_what_it_owns():
    names = {"Phelp", "Hospital", "Russia"}
    for text in ("Phelps has yet to comment.", "Hospitals and clinics were full.", "It was Russias."):
        assert repair_sentence(text, known_names=names).text == text
    assert repair_sentence("Russias own demand.", known_names=names).text == "Russia's own demand."


def test_repair_article_on_text_without_model_evidence():
    article = parse_article(
        "Talks\n20220101\nurn:test:1\nDUBAI - Officials said they dont expect a deal.\nThe talks ended.\n",
        id="t1",
    )
    repaired = repair_article(article)
    assert repaired.texts == ("Officials said they don't expect a deal.", "The talks ended.")
    assert repaired.dateline.place == "DUBAI" and repaired.dateline_line == 0
