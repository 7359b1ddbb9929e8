"""The seed format: every rule, on good and bad input (see ../shared/SEED_FORMAT.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from analysis import GoldFormatError, SeedFormatError, load_article, load_corpus, parse_article
from analysis._gold import gold_order, load_gold
from conftest import CORPORA, SEED, needs_shared

GOOD = "A headline\n20220127\nhttps://example.com/news/1\nSecond sentence.\nFirst sentence.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(tmp_path: Path, data: bytes | str, name: str = "bad.txt") -> SeedFormatError:
    path = write(tmp_path, name, data)
    with pytest.raises(SeedFormatError) as info:
        load_article(path)
    assert str(path) in str(info.value), "the error names the file"
    return info.value


def test_real_seed_parses_with_metadata():
    article = load_article(SEED)
    assert article.id == "000_3b38e28e8b9a1ce3"
    assert article.title == "US rejects Russia demand on Ukraine but talks see new life"
    assert article.date == dt.date(2022, 1, 27)
    assert article.url.startswith("https://dunyanews.tv/")
    assert article.n_sentences == 30
    assert article.sentences[0].startswith("One month after Russia")
    assert article.line_numbers[0] == 4 and article.line_numbers[-1] == 33
    assert len(article.sha256) == 64
    with pytest.raises(AttributeError):
        article.title = "changed"  # frozen


def test_good_file_keeps_file_order(tmp_path):
    article = load_article(write(tmp_path, "x1.txt", GOOD))
    assert article.id == "x1"
    assert article.sentences == ("Second sentence.", "First sentence.")


@pytest.mark.parametrize(
    ("data", "rule", "line"),
    [
        ("", "empty", None),
        ("\n\n  \n", "empty", None),
        ("Title only\n", "date", 2),
        ("Title\n20220127\nhttps://example.com/a\n", "body", 4),
        ("Title\n20220127\nhttps://example.com/a\n\n\n", "body", 4),
        ("Title\n20221345\nhttps://example.com/a\nBody.\n", "date", 2),
        ("Title\n20230229\nhttps://example.com/a\nBody.\n", "date", 2),
        ("Title\n2022-01-27\nhttps://example.com/a\nBody.\n", "date", 2),
        ("Title\n20220127\nBody without URL.\nMore body.\n", "url", 3),
        ("Title\n20220127\nftp://example.com/a\nBody.\n", "url", 3),
        ("Title\n20220127\n\nBody.\n", "url", 3),
        ("\n20220127\nhttps://example.com/a\nBody.\n", "title", 1),
    ],
)
def test_each_rule_has_its_own_error(tmp_path, data, rule, line):
    error = refused(tmp_path, data)
    assert error.rule == rule
    assert error.line == line
    if line is not None:
        assert f"bad.txt:{line}:" in str(error)


def test_non_utf8_names_the_line(tmp_path):
    error = refused(tmp_path, b"Title\n20220127\nhttps://example.com/a\nCaf\xe9 au lait.\n")
    assert (error.rule, error.line) == ("encoding", 4)


def test_nul_byte_is_refused(tmp_path):
    error = refused(tmp_path, b"Title\n20220127\nhttps://example.com/a\nBody\x00.\n")
    assert (error.rule, error.line) == ("nul-byte", 4)


def test_huge_file_is_refused_before_parsing(tmp_path):
    body = ("A sentence of an implausibly long article. " * 10 + "\n") * 12_000  # about 5 MB
    error = refused(tmp_path, "Title\n20220127\nhttps://example.com/a\n" + body)
    assert error.rule == "size"
    assert tmp_path.joinpath("bad.txt").stat().st_size > 5_000_000


def test_crlf_blank_lines_bom_and_no_trailing_newline(tmp_path):
    data = "\ufeffTitle\r\n20220127\r\nurn:conll2003:testa:22\r\n\r\nOne.\r\n\r\n  Two.  \r\nThree."
    article = load_article(write(tmp_path, "crlf.txt", data))
    assert article.title == "Title"
    assert article.url == "urn:conll2003:testa:22"
    assert article.sentences == ("One.", "Two.", "Three.")
    assert article.line_numbers == (5, 7, 8)


def test_parse_article_from_text_has_no_path():
    article = parse_article(GOOD, id="mem")
    assert article.path is None and article.n_sentences == 2
    with pytest.raises(SeedFormatError, match=r"<text>:2: \[date\]"):
        parse_article("T\n2022\nhttps://e.com\nB.\n", id="mem")


def test_corpus_collects_errors_and_keeps_good_files(tmp_path):
    write(tmp_path, "a.txt", GOOD)
    write(tmp_path, "b.txt", "Title\n20221345\nhttps://example.com/a\nBody.\n")
    write(tmp_path, "c.txt", b"\xff\xfe")
    write(tmp_path, "d.txt", GOOD.replace("A headline", "Another"))
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["a", "d"]
    assert sorted((e.path.name, e.rule) for e in corpus.errors) == [("b.txt", "date"), ("c.txt", "encoding")]


def test_gold_order_maps_sentences_to_file_indices(tmp_path):
    article = load_article(write(tmp_path, "g.txt", GOOD))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"file": "articles/g.txt", "sentences": ["First sentence.", "Second sentence."]}) + "\n")
    orders = load_gold(gold)
    assert gold_order(article, orders["g"]) == (1, 0)
    with pytest.raises(GoldFormatError):
        gold_order(article, ["First sentence.", "Something else."])


def test_malformed_gold_names_file_and_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "articles/a.txt", "sentences": ["x"]}\n{"file": 3}\n')
    with pytest.raises(GoldFormatError, match=r"gold.jsonl:2"):
        load_gold(gold)


@needs_shared
@pytest.mark.parametrize("corpus", ["conll2003-dev", "fnc1-order-dev"])
def test_shared_corpora_parse_and_match_their_gold(corpus):
    loaded = load_corpus(CORPORA / corpus / "articles")
    gold = load_gold(CORPORA / corpus / "gold.jsonl")
    assert not loaded.errors
    assert len(loaded.articles) == len(gold) == 300
    for article in loaded.articles:
        order = gold_order(article, gold[article.id])
        assert sorted(order) == list(range(article.n_sentences))


@pytest.mark.parametrize(
    ("data", "rule", "line"),
    [
        ("Title\r20220127\rhttps://example.com/a\rBody.\r", "line-ending", 1),  # classic Mac line ends
        ("Title\n20220127\nhttps://example.com/a\nOne.\r\nTwo.\rThree.\n", "line-ending", 5),
        ("Title\n２０２２０１２７\nhttps://example.com/a\nBody.\n", "date", 2),  # full-width digits
        ("Title\n٢٠٢٢٠١٢٧\nhttps://example.com/a\nBody.\n", "date", 2),  # Arabic-Indic digits
        ("Title\n20220127\nhttps://example.com/a\nShort.\n" + "x" * 10_001 + "\n", "line-length", 5),
    ],
)
def test_rules_name_what_is_actually_wrong(tmp_path, data, rule, line):
    error = refused(tmp_path, data)
    assert (error.rule, error.line) == (rule, line), str(error)


def test_utf16_is_named_as_such(tmp_path):
    for encoding, name in (("utf-16", "UTF-16 (little-endian)"), ("utf-16-le", "UTF-16 (little-endian)"),
                           ("utf-16-be", "UTF-16 (big-endian)")):
        error = refused(tmp_path, GOOD.encode(encoding))
        assert error.rule == "encoding" and name in str(error), str(error)


def test_too_many_sentences_is_refused_up_front(tmp_path):
    from analysis._seeds import MAX_SENTENCES

    body = "".join(f"Sentence number {i}.\n" for i in range(MAX_SENTENCES + 1))
    error = refused(tmp_path, "Title\n20220127\nhttps://example.com/a\n" + body)
    assert (error.rule, error.line) == ("sentences", MAX_SENTENCES + 4)
    body = "".join(f"Sentence number {i}.\n" for i in range(MAX_SENTENCES))
    assert load_article(write(tmp_path, "ok.txt", "Title\n20220127\nhttps://example.com/a\n" + body)).n_sentences == MAX_SENTENCES


def test_links_out_of_the_folder_fifos_and_folders(tmp_path):
    import os

    outside = write(tmp_path, "secret.txt", "Secret title\n20220127\nhttps://example.com/a\nDo not quote me.\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write(seeds, "good.txt", GOOD)
    (seeds / "leak.txt").symlink_to(outside)
    (seeds / "inside.txt").symlink_to(seeds / "good.txt")  # a link within the folder is an ordinary seed
    os.mkfifo(seeds / "pipe.txt")
    (seeds / "folder.txt").mkdir()
    corpus = load_corpus(seeds)
    assert sorted(a.id for a in corpus.articles) == ["good", "inside"]
    rules = {e.path.name: e.rule for e in corpus.errors}
    assert rules == {"leak.txt": "link", "pipe.txt": "not-a-file"}
    assert all("Secret" not in str(e) and "quote" not in str(e) for e in corpus.errors)
    with pytest.raises(SeedFormatError) as info:  # named directly: refused, never opened (it would block)
        load_article(seeds / "pipe.txt")
    assert info.value.rule == "not-a-file"
