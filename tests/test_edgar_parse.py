"""Parsing filings: proxy proposals, 8-K Item 5.07 votes (table and prose), form detection, the contract."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.edgar.forms import parse_filing
from crawler.edgar.votes import Vote, parse_votes, support
from tests.conftest import run_frwatch

DOCS = Path(__file__).parent.parent / "frwatch" / "demo" / "content" / "edgar" / "docs"

PROSE_8K = """FORM 8-K
Item 5.07 Submission of Matters to a Vote of Security Holders.
Proposal No. 3: Stockholder Proposal Regarding Sales of Face Recognition to Government Agencies
The stockholders did not approve the proposal, with 41,200,118 shares in favor, 388,004,250 shares against,
2,117,930 shares abstaining and 52,338,004 broker non-votes.
Item 9.01 Financial Statements and Exhibits."""


def test_proxy_proposals_with_recommendation_and_proponent():
    record = parse_filing((DOCS / "amazon" / "2019-def14a.htm").read_bytes())
    assert (record["form"], record["company"]) == ("DEF 14A", "AMAZON.COM, INC.")
    assert record["meeting_date"] == "May 22, 2019"
    by_number = {p["number"]: p for p in record["proposals"]}
    ban = by_number["6"]
    assert ban["kind"] == "shareholder" and ban["board_recommendation"] == "against"
    assert "Brentwood" in (ban["proponent"] or "")
    assert "RESOLVED" in ban["text"] and "facial recognition" in ban["text"].lower()
    assert by_number["1"]["kind"] == "management"
    assert set(ban) == {"number", "title", "kind", "board_recommendation", "proponent", "text"}


def test_8k_table_votes_with_nominees_and_matters():
    record = parse_filing((DOCS / "amazon" / "2019-8k-item507.htm").read_bytes())
    assert record["form"] == "8-K" and "5.07" in record["items"]
    votes = {(v["number"], v["title"]): v for v in record["votes"]}
    assert sum(1 for number, _ in votes if number == "1") == 10  # one row per director nominee
    ban = next(v for (n, _), v in votes.items() if n == "6")
    assert ban["for"] == 8_965_878 and ban["against"] == 361_517_897 and ban["broker_non_votes"] == 38_514_206
    assert set(ban) == {"number", "title", "for", "against", "abstain", "broker_non_votes", "withheld"}


def test_8k_prose_votes_and_support():
    [vote] = parse_votes(PROSE_8K)
    assert (vote.number, vote.for_, vote.against, vote.abstain, vote.broker_non_votes) == \
        ("3", 41_200_118, 388_004_250, 2_117_930, 52_338_004)
    assert support(vote) == (0.0960, 0.0955)
    assert support(Vote("1", "x")) == (None, None)


def test_forms_are_detected_from_the_document():
    forms = {path.name: parse_filing(path.read_bytes())["form"] for path in (DOCS / "amazon").glob("*.htm")}
    assert forms["2019-px14a6g-lantern-hill.htm"] == "PX14A6G"
    assert forms["2019-defa14a.htm"] == "DEFA14A"
    assert forms["2019-8k-item202.htm"] == "8-K"


def test_parse_filing_command_prints_json(tmp_path):
    result = run_frwatch("parse-filing", str(DOCS / "amazon" / "2019-8k-item507.htm"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["form"] == "8-K" and len(record["votes"]) >= 24
