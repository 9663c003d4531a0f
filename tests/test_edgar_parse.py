"""Parsing filings: proxy proposals, 8-K Item 5.07 votes (tables, one count per row, prose, frequency votes),
full SGML submissions, form detection, the ``parse-filing`` contract and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.edgar.forms import parse_filing
from crawler.edgar.sgml import parse_submission
from crawler.edgar.votes import Vote, count, parse_votes, support
from tests.conftest import run_frwatch

DOCS = Path(__file__).parent.parent / "frwatch" / "demo" / "content" / "edgar" / "docs"
FIXTURES = Path(__file__).parent / "fixtures" / "edgar"
PROPOSAL_KEYS = {"number", "title", "kind", "board_recommendation", "proponent", "text"}
VOTE_KEYS = {"number", "title", "for", "against", "abstain", "broker_non_votes", "withheld"}

PROSE_8K = """FORM 8-K
Item 5.07 Submission of Matters to a Vote of Security Holders.
Proposal No. 3: Stockholder Proposal Regarding Sales of Face Recognition to Government Agencies
The stockholders did not approve the proposal, with 41,200,118 shares in favor, 388,004,250 shares against,
2,117,930 shares abstaining and 52,338,004 broker non-votes.
Item 9.01 Financial Statements and Exhibits."""


def _fixture(name: str) -> dict:
    return parse_filing((FIXTURES / name).read_bytes())


def _counts(vote: dict) -> tuple:
    return vote["for"], vote["against"], vote["abstain"], vote["broker_non_votes"], vote["withheld"]


def test_stockholder_proposal_body_not_its_mentions():
    record = _fixture("proxy-stockholder.htm")
    assert set(record) == {"form", "company", "cik", "meeting_date", "proposals"}
    assert (record["form"], record["company"], record["meeting_date"]) == \
        ("DEF 14A", "NORTHWIND VISION SYSTEMS, INC.", "2024-06-13")
    assert [p["number"] for p in record["proposals"]] == ["1", "2", "3"]
    assert all(set(p) == PROPOSAL_KEYS for p in record["proposals"])
    ban = record["proposals"][2]
    assert (ban["kind"], ban["board_recommendation"]) == ("shareholder", "AGAINST")
    assert "Greenfield Workers Pension Trust" in ban["proponent"]
    assert ban["title"].startswith("Stockholder Proposal Regarding Sales Of Facial Recognition")
    for part in ("WHEREAS", "RESOLVED", "Supporting Statement", "Statement in Opposition", "vote AGAINST"):
        assert part in ban["text"]
    # The body stops where the proxy moves on to other business.
    assert "no other business" not in ban["text"]
    assert [(p["kind"], p["board_recommendation"]) for p in record["proposals"][:2]] == \
        [("management", "FOR"), ("management", "FOR")]


def test_fund_proxy_number_under_the_title():
    record = _fixture("fund-proxy.txt")
    assert record["meeting_date"] == "2024-10-08"
    assert [(p["number"], p["title"], p["board_recommendation"]) for p in record["proposals"]] == [
        ("1", "Election Of Trustees", "FOR"), ("2", "Approval Of A New Sub-Advisory Agreement", "FOR")]
    assert "sub-advisory agreement with Keel" in record["proposals"][1]["text"]
    assert "annual report" not in record["proposals"][1]["text"]  # ADDITIONAL INFORMATION is no proposal's


def test_amazon_style_items_and_the_notice_summary():
    record = parse_filing((DOCS / "amazon" / "2019-def14a.htm").read_bytes())
    by_number = {p["number"]: p for p in record["proposals"]}
    ban = by_number["6"]
    assert (ban["kind"], ban["board_recommendation"]) == ("shareholder", "AGAINST")
    assert "Brentwood" in (ban["proponent"] or "") and "RESOLVED" in ban["text"]
    assert by_number["3"]["kind"] == "management"
    # Items 4 and 5 are only listed in the notice's table: named, with the board's vote, and no body.
    assert (by_number["4"]["board_recommendation"], by_number["4"]["text"]) == ("AGAINST", "")


def test_sgml_submission_picks_the_form_document():
    proxy = (FIXTURES / "proxy-stockholder.htm").read_text()
    submission = (
        "<SEC-DOCUMENT>0001888001-24-000012.txt : 20240425\n<SEC-HEADER>\nACCESSION NUMBER:\t0001888001-24-000012\n"
        "CONFORMED SUBMISSION TYPE:\tDEF 14A\nCONFORMED PERIOD OF REPORT:\t20240613\nFILER:\n\tCOMPANY DATA:\n"
        "\t\tCOMPANY CONFORMED NAME:\t\tNORTHWIND VISION SYSTEMS INC\n\t\tCENTRAL INDEX KEY:\t\t0001888001\n"
        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex99.htm\n<TEXT>\n<html><body>"
        "<p>PROPOSAL 9: AN EXHIBIT HEADING THAT IS NO PROPOSAL</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
        f"<DOCUMENT>\n<TYPE>DEF 14A\n<SEQUENCE>1\n<FILENAME>def14a.htm\n<TEXT>\n{proxy}\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>GRAPHIC\n<SEQUENCE>3\n<FILENAME>logo.jpg\n<TEXT>\nbegin 644 logo.jpg\nM_]C_X\nend\n"
        "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    parsed = parse_submission(submission)
    assert [d.type for d in parsed.documents] == ["EX-99.1", "DEF 14A", "GRAPHIC"]
    assert parsed.primary() is parsed.documents[1] and parsed.documents[2].binary
    record = parse_filing(submission.encode())
    assert (record["form"], record["company"], record["cik"]) == ("DEF 14A", "NORTHWIND VISION SYSTEMS INC", 1888001)
    assert [p["number"] for p in record["proposals"]] == ["1", "2", "3"]


def test_exempt_solicitation_names_subject_company_and_proponent():
    record = _fixture("px14a6g-submission.txt")
    assert (record["form"], record["company"], record["cik"], record["meeting_date"]) == \
        ("PX14A6G", "NORTHWIND VISION SYSTEMS, INC.", 1888001, "2024-06-13")
    [proposal] = record["proposals"]
    assert set(proposal) == PROPOSAL_KEYS
    assert (proposal["number"], proposal["kind"], proposal["board_recommendation"]) == ("3", "shareholder", None)
    assert proposal["title"] == "Independent Assessment of Government Face-Matching Sales"
    assert proposal["proponent"] == "Greenfield Workers Pension Trust"


def test_company_reply_carries_the_boards_vote():
    record = parse_filing((DOCS / "amazon" / "2019-defa14a.htm").read_bytes())
    assert record["form"] == "DEFA14A"
    assert [(p["number"], p["board_recommendation"]) for p in record["proposals"]] == \
        [("6", "AGAINST"), ("7", "AGAINST")]


def test_8k_tables_nominees_matters_footnotes_dashes_and_frequency():
    record = _fixture("8k-tables.htm")
    assert (record["form"], record["items"], record["company"]) == ("8-K", ["5.07", "9.01"], "Corvane Analytics Corp.")
    votes = record["votes"]
    assert [v["number"] for v in votes] == ["1", "1", "1", "2", "3", "4", "5"]
    assert all(set(v) >= VOTE_KEYS for v in votes)
    assert _counts(votes[1]) == (49_870_002, 2_347_115, 95_830, 6_502_118, None)  # "(95.3%)" ignored
    assert _counts(votes[2]) == (52_011_477, 210_540, 0, 6_502_118, None)  # footnote "(1)", a dash for none
    assert votes[2]["title"] == "Grace O’Neill"
    assert votes[3]["title"].startswith("Ratification of Birchmont") and votes[3]["broker_non_votes"] == 0
    assert _counts(votes[5]) == (12_904_551, 38_992_130, 416_266, 6_502_118, None)  # "12,904,551*"
    frequency = votes[6]
    assert (frequency["one_year"], frequency["two_years"], frequency["three_years"], frequency["abstain"]) == \
        (47_660_018, 301_442, 4_160_774, 190_713)
    assert frequency["for"] is None and frequency["against"] is None
    assert set(votes[0]) == VOTE_KEYS  # only a frequency vote carries the extra keys


def test_8k_prose_label_first_count_first_and_frequency():
    votes = _fixture("8k-prose.txt")["votes"]
    assert [v["number"] for v in votes] == ["1", "2", "3", "4"]  # item 5 was withdrawn: no counts, no row
    assert _counts(votes[0]) == (2_114_880, None, None, 310_066, 98_412)
    assert _counts(votes[1]) == (2_401_500, 11_230, 9_104, None, None)
    assert _counts(votes[2]) == (1_904_210, 301_556, 7_526, 310_066, None)
    assert (votes[3]["one_year"], votes[3]["two_years"], votes[3]["three_years"], votes[3]["abstain"]) == \
        (2_001_442, 12_300, 190_118, 9_438)
    assert votes[3]["for"] is None


def test_8k_one_count_per_row():
    votes = _fixture("8k-one-count-per-row.htm")["votes"]
    assert [(v["number"], _counts(v)) for v in votes] == [
        ("2", (8_120_455, 402_917, 15_032, 1_225_640, None)),
        ("3", (2_660_401, 5_801_222, 76_783, 1_225_640, None)),
    ]
    assert votes[1]["title"].startswith("Stockholder proposal requesting a human rights impact assessment")


def test_demo_8k_and_prose_votes():
    record = parse_filing((DOCS / "amazon" / "2019-8k-item507.htm").read_bytes())
    assert sum(1 for v in record["votes"] if v["number"] == "1") == 10  # one row per director nominee
    ban = next(v for v in record["votes"] if v["number"] == "6")
    assert (ban["for"], ban["against"], ban["broker_non_votes"]) == (8_965_878, 361_517_897, 38_514_206)
    [vote] = parse_votes(PROSE_8K)
    assert (vote.number, vote.for_, vote.against, vote.abstain, vote.broker_non_votes) == \
        ("3", 41_200_118, 388_004_250, 2_117_930, 52_338_004)


def test_support_both_ways():
    vote = Vote("3", "x", for_=41_200_118, against=388_004_250, abstain=2_117_930)
    assert support(vote) == (0.0960, 0.0955)
    assert support(Vote("4", "x", for_=30, against=70)) == (0.3, 0.3)  # no abstentions reported
    assert support(Vote("1", "nominee", for_=90, withheld=10)) == (None, None)
    assert support(Vote("1", "x")) == (None, None)
    assert support(Vote("1", "x", for_=0, against=0, abstain=5)) == (None, None)


@pytest.mark.parametrize(("cell", "expected"), [
    ("1,234,567", 1_234_567), ("1234567", 1_234_567), ("1,234,567(1)", 1_234_567), ("—", 0), ("-", 0),
    ("987,654 (96.2%)", 987_654), ("12,345*", 12_345), ("$ 1,000", None), ("N/A", None), ("21,92", None),
    ("Votes For", None),
])
def test_counts_from_cells(cell, expected):
    assert count(cell) == expected


def test_forms_are_detected_from_the_document():
    forms = {path.name: parse_filing(path.read_bytes())["form"] for path in (DOCS / "amazon").glob("*.htm")}
    assert forms["2019-px14a6g-lantern-hill.htm"] == "PX14A6G"
    assert forms["2019-defa14a.htm"] == "DEFA14A"
    assert forms["2019-8k-item202.htm"] == "8-K" and forms["2019-def14a.htm"] == "DEF 14A"


def test_truncated_table_drops_the_cut_row(caplog):
    body = (FIXTURES / "8k-tables.htm").read_bytes()
    cut = body[: body.index(b"2,347,115") + len(b"2,347,115</td>")]  # Tomas Lindqvist's row, cut after "against"
    votes = parse_filing(cut)["votes"]
    assert [v["title"] for v in votes] == ["Priya Raman"]
    assert "dropped" in caplog.text
    cut_in_a_number = body.replace(b"<td>95,830</td>", b"<td>95,83</td>")
    assert "Tomas Lindqvist" not in [v["title"] for v in parse_filing(cut_in_a_number)["votes"]]


@pytest.mark.parametrize("body", [
    b"<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body><h1>Request Rate Threshold"
    b" Exceeded</h1><p>Please declare your traffic.</p></body></html>",
    b"",
    b"\x00\xff\xfe\x00 not a filing",
    b"<html><body><p>FORM 8-K</p><p>Item 5.07 Submission of Matters to a Vote</p><p>The results will be reported"
    b" by amendment.</p></body></html>",
    b"<html><body><p>SCHEDULE 14A</p><p>Definitive Proxy Statement</p><p>No proposals here.</p></body></html>",
    b"<html><body><p>FORM 8-K</p><p>Item 5.07</p><table><tr><td>Nominee<td>For<td>Against<tr><td>Ann Lee<td>12,0",
])
def test_bad_input_gives_empty_lists_and_a_reason(body, caplog):
    record = parse_filing(body)
    assert record.get("votes", []) == [] and record.get("proposals", []) == []
    assert caplog.records, "a reason is logged"


def test_parse_filing_command_prints_json(tmp_path):
    result = run_frwatch("parse-filing", str(FIXTURES / "8k-tables.htm"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["form"] == "8-K" and len(record["votes"]) == 7
    result = run_frwatch("parse-filing", str(FIXTURES / "fund-proxy.txt"), "--form", "DEF 14A", cwd=tmp_path)
    assert json.loads(result.stdout)["form"] == "DEF 14A"
