"""Speaker–target stance: the gold pairs, the scorer, and the rules on short texts written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import parse_article
from analysis._analysed import as_analysed
from analysis.errors import GoldFormatError
from analysis._seeds import load_article
from analysis.stance._actor_evaluation import (
    GOLD_PATH,
    LABELS,
    analyse_gold_articles,
    article_targets,
    load_gold,
    names_match,
    predict_pairs,
    score_pairs,
)
from analysis.stance._actors import actor_stance

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"development corpora not found at {CORPORA}")


def _article(*sentences: str):
    text = "Talks resume\n20220127\nurn:test:actors\n" + "\n".join(sentences) + "\n"
    return parse_article(text, id="actors-test")


def _pairs(*sentences: str) -> dict[tuple[str, str], str]:
    article = _article(*sentences)
    table = actor_stance(article, article_targets_of(article))
    return {(r.speaker, r.target): r.stance for r in table.itertuples()}


def article_targets_of(article):
    return article_targets(as_analysed(article))


# -- the gold file ---------------------------------------------------------------------------


def test_gold_file_is_well_formed():
    gold = load_gold()
    assert len(gold) >= 60
    assert set(gold["label"]) == set(LABELS)  # every class, neutral included
    assert set(gold["half"]) == {"tune", "test"}
    # halves are fixed by article: no article in both
    halves = gold.groupby("article")["half"].nunique()
    assert (halves == 1).all()
    assert not gold.duplicated(["corpus", "article", "speaker", "target"]).any()
    assert all(len(lines) >= 1 and min(lines) >= 4 for lines in gold["lines"])


@needs_corpora
def test_gold_names_appear_on_their_evidence_lines():
    """Every target is named in its article, and nearly always on one of its evidence lines
    (seed-file numbering: title 1); a few are referred to there by their role ("the speaker")."""
    gold = load_gold()
    on_line = 0
    for row in gold.itertuples():
        path = CORPORA / row.corpus / "articles" / row.article
        article = load_article(path)
        lines = dict(zip(article.file_lines, article.sentences))
        assert set(row.lines) <= set(lines), (row.article, row.lines)
        options = [o.lower() for o in row.target.split("|")]

        def named(text: str) -> bool:
            return any(o in text or o.split()[-1] in text for o in options)

        assert named(" ".join(article.sentences).lower()), (row.article, row.target)
        on_line += named(" ".join(lines[n] for n in row.lines).lower())
    assert on_line >= 0.95 * len(gold)


def test_malformed_gold_names_file_and_line(tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text(
        "corpus,article,half,speaker,target,label,lines,reason\n"
        "conll2003-dev,a.txt,tune,A,B,favor,5,ok\n"
        "conll2003-dev,a.txt,tune,A,C,positive,6,not a label\n",
        encoding="utf-8",
    )
    with pytest.raises(GoldFormatError, match=r"gold.csv:3: rule 'label'"):
        load_gold(bad)


# -- matching and scoring --------------------------------------------------------------------


def test_names_match_alternatives_and_surnames():
    assert names_match("Nawaz Sharif", "Sharif")
    assert names_match("Britain|Foreign Office", "Foreign Office spokesman")
    assert names_match("Liam Fox", "Liam Fox Fox")
    assert not names_match("Iraq", "Iraqi National Congress")
    assert not names_match("Iran", "Iraq")


def test_missing_prediction_counts_as_neutral():
    score = score_pairs(["against", "neutral", "favor"], ["against", None, None])
    assert score.coverage == pytest.approx(1 / 3)
    assert score.f1["against"] == 1.0 and score.f1["favor"] == 0.0
    assert score.f1["neutral"] == pytest.approx(2 / 3)  # one right, one favor said as neutral
    assert score.macro_f1 == pytest.approx((1 + 0 + 2 / 3) / 3)
    assert score_pairs(["favor"], [float("nan")]).coverage == 0.0  # a pandas gap is no answer


@needs_corpora
def test_method_on_gold_articles():
    gold = load_gold()
    gold = gold[gold["article"].isin({"testa_0080.txt", "train_0484.txt", "train_0192.txt"})]
    articles = analyse_gold_articles(gold, CORPORA)
    assert len(articles) == 3
    pairs = predict_pairs(gold, articles, actor_stance)
    said = {(r.speaker, r.target): r.predicted for r in pairs.itertuples()}
    assert said[("Syria", "Israel")] == "against"  # "Syria on Friday condemned Israel's …"
    assert said[("Jordan", "Iraq")] == "against"  # "Jordan has accused Iraq …"
    assert said[("Al Gore", "Bill Clinton")] == "favor"  # "… praised Clinton for 'courage'"
    assert said[("Al Gore", "Bob Dole")] == "against"
    method = score_pairs(pairs["label"], pairs["predicted"])
    neutral = score_pairs(pairs["label"], ["neutral"] * len(pairs))
    assert method.macro_f1 > neutral.macro_f1 + 0.2


# -- the rules on short texts ----------------------------------------------------------------


def test_reported_evaluations_in_narration():
    pairs = _pairs(
        "Poland accused Hungary of blocking the aid package on Tuesday.",
        "Prime Minister Mark Rutte praised Germany for its leadership during the talks.",
        "Chancellor Olaf Weber voiced his support for Ukraine at the summit.",
    )
    assert pairs[("Poland", "Hungary")] == "against"
    assert pairs[("Mark Rutte", "Germany")] == "favor"
    assert pairs[("Olaf Weber", "Ukraine")] == "favor"


def test_coordinated_evaluations_share_their_subject():
    pairs = _pairs("Senator Ana Ruiz criticised Governor Tom Hale and backed Mayor Lisa Park.")
    assert pairs[("Ana Ruiz", "Tom Hale")] == "against"
    assert pairs[("Ana Ruiz", "Lisa Park")] == "favor"


def test_negated_evaluation_is_neutral_not_reversed():
    pairs = _pairs("Finland did not condemn Sweden over the border dispute.")
    assert pairs[("Finland", "Sweden")] == "neutral"


def test_first_person_act_on_the_target():
    pairs = _pairs('"We condemn the Iranian attacks on shipping," Foreign Minister Jan Novak said.')
    assert pairs[("Jan Novak", "Iran")] == "against"


def test_inability_is_not_intention():
    pairs = _pairs(
        '"Hungary could not block the agreement," Foreign Minister Jan Novak said.',
        '"Hungary would not block the agreement," Foreign Minister Piotr Zak said.',
    )
    assert pairs[("Jan Novak", "Hungary")] == "neutral"
    assert pairs[("Piotr Zak", "Hungary")] == "favor"


def test_agent_polarity_stays_in_its_own_clause():
    # the courage is the people's, in a clause of its own; the attack is Russia's
    pairs = _pairs('"Russia attacked the town, but the people show courage because Ukraine is free," Jan Novak said.')
    assert pairs[("Jan Novak", "Russia")] == "against"
    assert pairs.get(("Jan Novak", "Ukraine"), "neutral") == "neutral"


def test_gold_path_is_in_tests_data():
    assert GOLD_PATH.parent.name == "data" and GOLD_PATH.is_file()


def test_sole_speaker_takes_pronoun_statements_only_when_asked():
    article = _article(
        'Senator Ana Ruiz said the budget was "a mistake".',
        '"Governor Tom Hale has betrayed the voters and threatens the schools," she said.',
    )
    targets = article_targets_of(article)
    assert not any(actor_stance(article, targets)["target"] == "Tom Hale")
    table = actor_stance(article, targets, sole_speaker=True)
    row = table[(table["speaker"] == "Ana Ruiz") & (table["target"] == "Tom Hale")]
    assert list(row["stance"]) == ["against"] and list(row["evidence"]) == [(1,)]
