"""Proposals, votes and solicitations of one meeting: linked in any arrival order, written idempotently,
support computed both ways, and listed by the ``proposals_by_company`` canned query in Datasette."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette

import store
from frwatch.serve import metadata_for
from tests.conftest import document

CIK = 1018724
BASE = "https://www.sec.gov/Archives/edgar/data/1018724"


def filing(form: str, accession: str, year: int = 2020, name: str = "doc.htm") -> store.MeetingFiling:
    return store.MeetingFiling(cik=CIK, company="AMAZON COM INC", year=year, meeting_date=f"{year}-05-27",
                               form=form, accession=accession, filed=f"{year}-04-10",
                               filing_url=f"{BASE}/{accession.replace('-', '')}/{name}")


PROXY = filing("DEF 14A", "0001193125-20-102734")


def proposals(source: store.MeetingFiling = PROXY, title7: str = "Report on Potential Customer Misuse of Rekognition",
              ) -> store.ProxyProposals:
    def one(number: str, title: str, kind: str) -> store.ProposalFacts:
        return store.ProposalFacts(number=number, title=title, kind=kind, board_recommendation="against",
                                   proponent="Harrington Investments" if number == "7" else None,
                                   document_url=f"{source.filing_url}#proposal-{number}")
    return store.ProxyProposals(filing=source, proposals=(
        one("2", "Ratification of Auditors", "management"), one("7", title7, "shareholder")))


VOTES = store.VoteResults(filing=filing("8-K", "0001018724-20-000015"), votes=(
    store.VoteFacts("1", "Jeffrey P. Bezos", 389766213, 2448774, 396033, 41275119, None),
    store.VoteFacts("7", "Report on potential customer misuse", 138321522, 251589455, 3003419, 41275119, None),
))


def solicitation(accession: str, role: str, numbers: tuple[str, ...]) -> store.Solicitation:
    return store.Solicitation(filing=filing("PX14A6G" if role == "exempt_solicitation" else "DEFA14A", accession),
                              role=role, filer="Lantern Hill", numbers=numbers)


def counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {t: db.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("proposals", "votes", "solicitations", "proposal_links")}


def test_votes_and_solicitations_link_whatever_arrives_first(fresh_db):
    # The 8-K and the exempt solicitation are crawled before the proxy they refer to.
    store.write_meeting_record(fresh_db, VOTES)
    store.write_meeting_record(fresh_db, solicitation("0001214659-20-004402", "exempt_solicitation", ("7",)))
    assert fresh_db.execute("select count(*) from votes where proposal_id is not null").fetchone()[0] == 0
    store.write_meeting_record(fresh_db, proposals())
    store.write_meeting_record(fresh_db, solicitation("0001193125-20-146120", "company_reply", ("6", "7")))
    row = fresh_db.execute(
        "select p.number, p.proponent, v.for_votes, v.support_for_against, v.support_with_abstain from votes v "
        "join proposals p on p.id = v.proposal_id where v.number = '7'").fetchone()
    assert row == ("7", "Harrington Investments", 138321522,
                   round(138321522 / (138321522 + 251589455), 4),
                   round(138321522 / (138321522 + 251589455 + 3003419), 4))
    linked = fresh_db.execute(
        "select s.role, p.number, l.matched_by from proposal_links l join solicitations s on s.id = l.solicitation_id "
        "join proposals p on p.id = l.proposal_id order by s.role").fetchall()
    # Item 6 is named by the reply but is not on this proxy: no link is invented for it.
    assert linked == [("company_reply", "7", "number"), ("exempt_solicitation", "7", "number")]


def test_rewriting_the_same_filings_changes_nothing(fresh_db):
    records: list[store.MeetingRecord] = [
        proposals(), VOTES, solicitation("0001214659-20-004402", "exempt_solicitation", ("7",))]
    for record in records:
        store.write_meeting_record(fresh_db, record)
    before = counts(fresh_db)
    stamp = fresh_db.execute("select updated from proposals where number = '7'").fetchone()[0]
    for record in records * 2:
        store.write_meeting_record(fresh_db, record)
    assert counts(fresh_db) == before == {"proposals": 2, "votes": 2, "solicitations": 1, "proposal_links": 1}
    assert fresh_db.execute("select updated from proposals where number = '7'").fetchone()[0] == stamp


def test_a_preliminary_proxy_never_replaces_the_definitive_one(fresh_db):
    store.write_meeting_record(fresh_db, proposals())
    store.write_meeting_record(fresh_db, proposals(filing("PRE 14A", "0001193125-20-090000"), title7="Draft title"))
    assert fresh_db.execute("select form, title from proposals where number = '7'").fetchone() == (
        "DEF 14A", "Report on Potential Customer Misuse of Rekognition")
    store.write_meeting_record(fresh_db, proposals(filing("DEFR14A", "0001193125-20-110000"), title7="Revised"))
    assert fresh_db.execute("select form, title from proposals where number = '7'").fetchone() == ("DEFR14A", "Revised")


def test_a_solicitation_naming_no_number_links_by_title_words(fresh_db):
    store.ensure_source(fresh_db, "sec", "sec")
    letter = solicitation("0001214659-20-004403", "exempt_solicitation", ())
    store.upsert_document(fresh_db, document(letter.filing.filing_url, source_id="sec", kind="filing",
                                             title="Exempt solicitation",
                                             text="We ask you to support the report on potential customer "
                                                  "misuse of Rekognition at this year's meeting."))
    store.write_meeting_record(fresh_db, proposals())
    store.write_meeting_record(fresh_db, letter)
    assert fresh_db.execute("select p.number, l.matched_by from proposal_links l "
                            "join proposals p on p.id = l.proposal_id").fetchall() == [("7", "title")]


def test_support_is_missing_without_for_and_against():
    assert store.VoteFacts("1", "Nominee", 100, None, None, None, 5).support() == (None, None)
    assert store.VoteFacts("2", "Auditor", 0, 0, 10, None, None).support() == (None, None)


@pytest.fixture
def tagged_db(db_path: Path) -> Path:
    """Two years of one face-recognition proposal, its proposal documents tagged as the tagger would."""
    db = store.open_store(db_path)
    store.ensure_source(db, "sec", "sec")
    for year, accession, votes in ((2019, "0001193125-19-102995", (102673045, 267592169, 3091314)),
                                   (2020, "0001193125-20-102734", (138321522, 251589455, 3003419))):
        source = filing("DEF 14A", accession, year)
        record = proposals(source)
        for p in record.proposals:
            doc_id, _ = store.upsert_document(db, document(p.document_url, source_id="sec", kind="filing",
                                                           title=p.title, text=f"RESOLVED: {p.title}."))
            fr = p.number == "7"
            store.write_tagging(db, doc_id, store.Tagging(labels={"facial_recognition": store.LabelResult(
                score=0.97 if fr else 0.02, decision=fr, threshold=0.5)}, model_version="test"))
        store.write_meeting_record(db, record)
        store.write_meeting_record(db, store.VoteResults(filing=filing("8-K", accession[:-6] + "000999", year),
                                                         votes=(store.VoteFacts("7", "Item 7", *votes, None, None),)))
    db.conn.close()
    return db_path


async def test_canned_query_lists_face_recognition_proposals_by_year(tagged_db):
    datasette = Datasette([str(tagged_db)], metadata=metadata_for(tagged_db))
    response = await datasette.client.get(f"/{tagged_db.stem}/proposals_by_company.json",
                                          params={"company": "amazon", "_shape": "objects"})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [(r["year"], r["number"], r["proponent"], r["board_recommendation"]) for r in rows] == [
        (2019, "7", "Harrington Investments", "against"), (2020, "7", "Harrington Investments", "against")]
    assert rows[0]["support_for_against"] < rows[1]["support_for_against"]
    assert rows[0]["support_with_abstain"] < rows[0]["support_for_against"]
    empty = await datasette.client.get(f"/{tagged_db.stem}/proposals_by_company.json",
                                       params={"company": "motorola", "_shape": "objects"})
    assert empty.json()["rows"] == []
    db = store.open_store(tagged_db)
    assert [r["year"] for r in store.proposal_support(db)] == [2019, 2020]
