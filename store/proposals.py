"""Shareholder proposals, vote results and the solicitations around them, linked per company and meeting.

A proxy statement gives ``proposals`` (one row per company, meeting year and item number), an 8-K Item
5.07 gives ``votes``, and exempt solicitations (PX14A6G, PX14A6N) and company replies (DEFA14A) give
``solicitations``. Filings arrive in any order, so links are not taken at write time but recomputed for
the company and year just written (:func:`relink`): a vote belongs to the proposal of the same company,
year and item number; a solicitation to the proposals whose numbers it names ("Item 6", "Items 6 and 7")
or, when it names none, whose title's distinctive words it contains. Every write is an upsert on the
natural key, so crawling a filing again changes nothing.

Rows point at their documents by canonical URL (the proposal's own document is the filing URL plus
``#proposal-N``); the document ids are filled in when those documents exist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.resources import files

import sqlite_utils
import yaml

from store.database import transaction
from store.documents import now_utc

# Proxy forms in order of authority: a definitive (or revised definitive) proxy replaces a preliminary one.
AUTHORITY = {"PRE 14A": 0, "DEF 14A": 1, "DEFR14A": 2}
# Words of proposal titles that say what kind of thing it is, not what it is about.
TITLE_NOISE = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "our", "the", "to",
    "with", "shareholder", "shareholders", "stockholder", "stockholders", "proposal", "proposals",
    "requesting", "request", "requests", "regarding", "report", "reports", "policy", "company", "board",
    "certain", "use", "adopt", "item", "no"
})


@dataclass(frozen=True)
class ProposalFacts:
    """One proposal of a proxy statement."""

    number: str
    title: str
    kind: str | None
    board_recommendation: str | None
    proponent: str | None
    document_url: str


@dataclass(frozen=True)
class MeetingFiling:
    """Which filing something came from, and the company and meeting it belongs to."""

    cik: int
    company: str
    year: int
    meeting_date: str | None
    form: str
    accession: str
    filed: str | None
    filing_url: str


@dataclass(frozen=True)
class VoteFacts:
    """One matter's (or one director nominee's) counts from an 8-K Item 5.07; missing counts are None."""

    number: str | None
    title: str
    for_votes: int | None
    against_votes: int | None
    abstain_votes: int | None
    broker_non_votes: int | None
    withheld_votes: int | None

    def support(self) -> tuple[float | None, float | None]:
        """for/(for+against) and for/(for+against+abstain), or None when for or against is missing."""
        if self.for_votes is None or self.against_votes is None or self.for_votes + self.against_votes == 0:
            return None, None
        simple = self.for_votes / (self.for_votes + self.against_votes)
        with_abstain = self.for_votes / (self.for_votes + self.against_votes + (self.abstain_votes or 0))
        return round(simple, 4), round(with_abstain, 4)


@dataclass(frozen=True)
class ProxyProposals:
    """The proposals of one proxy statement (DEF 14A, DEFR14A, PRE 14A)."""

    filing: MeetingFiling
    proposals: tuple[ProposalFacts, ...]


@dataclass(frozen=True)
class VoteResults:
    """The vote results of one 8-K Item 5.07."""

    filing: MeetingFiling
    votes: tuple[VoteFacts, ...]


@dataclass(frozen=True)
class Solicitation:
    """An exempt solicitation or a company reply about the proposals of one meeting."""

    filing: MeetingFiling
    role: str  # "exempt_solicitation" or "company_reply"
    filer: str | None
    numbers: tuple[str, ...]


MeetingRecord = ProxyProposals | VoteResults | Solicitation


def write_meeting_record(db: sqlite_utils.Database, record: MeetingRecord) -> None:
    """Upsert a proxy's proposals, an 8-K's votes or a solicitation, then relink that company's year.

    :param record: what one filing says about a meeting
    """
    with transaction(db):
        if isinstance(record, ProxyProposals):
            _write_proposals(db, record)
        elif isinstance(record, VoteResults):
            _write_votes(db, record)
        else:
            _write_solicitation(db, record)
        _relink(db, record.filing.cik, record.filing.year)


def relink(db: sqlite_utils.Database, cik: int | None = None, year: int | None = None) -> None:
    """Recompute the links of one company and year (or of everything when not given)."""
    with transaction(db):
        if cik is not None and year is not None:
            _relink(db, cik, year)
            return
        for row in db.execute("SELECT DISTINCT cik, year FROM proposals UNION SELECT cik, year FROM votes "
                              "UNION SELECT cik, year FROM solicitations").fetchall():
            _relink(db, int(row[0]), int(row[1]))


def _write_proposals(db: sqlite_utils.Database, record: ProxyProposals) -> None:
    f = record.filing
    rank = AUTHORITY.get(f.form, 0)
    for p in record.proposals:
        existing = db.execute(
            "SELECT form FROM proposals WHERE cik = ? AND year = ? AND number = ?", [f.cik, f.year, p.number]
        ).fetchone()
        if existing is not None and AUTHORITY.get(existing[0], 0) > rank:
            continue  # a preliminary proxy never replaces the definitive one
        db.execute(
            "INSERT INTO proposals (cik, company, year, meeting_date, number, title, kind, board_recommendation, "
            "proponent, form, accession, filed, filing_url, document_url, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(cik, year, number) DO UPDATE SET company = excluded.company, "
            "meeting_date = coalesce(excluded.meeting_date, meeting_date), title = excluded.title, "
            "kind = excluded.kind, board_recommendation = excluded.board_recommendation, "
            "proponent = coalesce(excluded.proponent, proponent), form = excluded.form, "
            "accession = excluded.accession, filed = excluded.filed, filing_url = excluded.filing_url, "
            "document_url = excluded.document_url, updated = excluded.updated "
            "WHERE (company, meeting_date, title, kind, board_recommendation, proponent, form, accession, "
            "document_url) IS NOT (excluded.company, coalesce(excluded.meeting_date, meeting_date), "
            "excluded.title, excluded.kind, excluded.board_recommendation, "
            "coalesce(excluded.proponent, proponent), excluded.form, excluded.accession, excluded.document_url)",
            [f.cik, f.company, f.year, f.meeting_date, p.number, p.title, p.kind, p.board_recommendation,
             p.proponent, f.form, f.accession, f.filed, f.filing_url, p.document_url, now_utc()],
        )


def _write_votes(db: sqlite_utils.Database, record: VoteResults) -> None:
    f = record.filing
    for v in record.votes:
        simple, with_abstain = v.support()
        db.execute(
            "INSERT INTO votes (cik, company, year, meeting_date, number, title, for_votes, against_votes, "
            "abstain_votes, broker_non_votes, withheld_votes, support_for_against, support_with_abstain, "
            "accession, filed, filing_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(cik, year, number, title) DO UPDATE SET company = excluded.company, "
            "meeting_date = coalesce(excluded.meeting_date, meeting_date), for_votes = excluded.for_votes, "
            "against_votes = excluded.against_votes, abstain_votes = excluded.abstain_votes, "
            "broker_non_votes = excluded.broker_non_votes, withheld_votes = excluded.withheld_votes, "
            "support_for_against = excluded.support_for_against, "
            "support_with_abstain = excluded.support_with_abstain, accession = excluded.accession, "
            "filed = excluded.filed, filing_url = excluded.filing_url",
            [f.cik, f.company, f.year, f.meeting_date, v.number or "", v.title, v.for_votes, v.against_votes,
             v.abstain_votes, v.broker_non_votes, v.withheld_votes, simple, with_abstain, f.accession, f.filed,
             f.filing_url],
        )


def _write_solicitation(db: sqlite_utils.Database, record: Solicitation) -> None:
    f = record.filing
    db.execute(
        "INSERT INTO solicitations (accession, cik, company, year, form, role, filer, filed, filing_url, numbers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(accession) DO UPDATE SET cik = excluded.cik, "
        "company = excluded.company, year = excluded.year, form = excluded.form, role = excluded.role, "
        "filer = excluded.filer, filed = excluded.filed, filing_url = excluded.filing_url, "
        "numbers = excluded.numbers",
        [f.accession, f.cik, f.company, f.year, f.form, record.role, record.filer, f.filed, f.filing_url,
         json.dumps(list(record.numbers))],
    )


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]+", title.lower()) if w not in TITLE_NOISE and len(w) > 2}


def _relink(db: sqlite_utils.Database, cik: int, year: int) -> None:
    # Document ids, once the documents exist (they are written by the document pipeline, maybe later).
    for table, id_column, url_column in (("proposals", "filing_document_id", "filing_url"),
                                         ("proposals", "document_id", "document_url"),
                                         ("votes", "filing_document_id", "filing_url"),
                                         ("solicitations", "filing_document_id", "filing_url")):
        db.execute(
            f"UPDATE {table} SET {id_column} = (SELECT d.id FROM documents d "
            f"WHERE d.canonical_url = {table}.{url_column}) WHERE cik = ? AND year = ?",
            [cik, year],
        )
    db.execute(
        "UPDATE votes SET proposal_id = (SELECT p.id FROM proposals p WHERE p.cik = votes.cik "
        "AND p.year = votes.year AND p.number = votes.number) WHERE cik = ? AND year = ?",
        [cik, year],
    )
    proposals = db.execute(
        "SELECT id, number, title, kind FROM proposals WHERE cik = ? AND year = ?", [cik, year]
    ).fetchall()
    by_number = {str(row[1]): int(row[0]) for row in proposals}
    db.execute(
        "DELETE FROM proposal_links WHERE solicitation_id IN (SELECT id FROM solicitations WHERE cik = ? AND year = ?)",
        [cik, year],
    )
    for sol_id, numbers_json, document_id in db.execute(
        "SELECT id, numbers, filing_document_id FROM solicitations WHERE cik = ? AND year = ?", [cik, year]
    ).fetchall():
        links = [(by_number[n], "number") for n in json.loads(numbers_json or "[]") if n in by_number]
        if not links and document_id is not None:
            text_row = db.execute("SELECT lower(text) FROM documents WHERE id = ?", [document_id]).fetchone()
            words = set(re.findall(r"[a-z][a-z'-]+", text_row[0])) if text_row else set()
            for pid, _number, title, kind in proposals:
                wanted = _title_words(title)
                # Most of a shareholder proposal's distinctive title words, in a solicitation that names no
                # item numbers (measured on the demo and test filings, not tuned further).
                if kind == "shareholder" and wanted and len(wanted & words) >= max(2, 0.7 * len(wanted)):
                    links.append((int(pid), "title"))
        for pid, how in links:
            db.execute(
                "INSERT OR IGNORE INTO proposal_links (proposal_id, solicitation_id, matched_by) VALUES (?, ?, ?)",
                [pid, sol_id, how],
            )


def proposal_support(db: sqlite_utils.Database, company: str = "") -> list[dict[str, object]]:
    """Face-recognition proposals (their own document tagged so) by company and year, with their support.

    :param company: any part of the company name; empty for all
    :returns: rows with company, year, number, title, proponent, board_recommendation, support_for_against,
        support_with_abstain, exempt_solicitations and company_replies (how many are linked), score and url
    """
    cursor = db.execute(canned_sql("proposals_by_company"), {"company": company})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def canned_sql(name: str) -> str:
    """The SQL of a canned query in the bundled ``datasette/metadata.yml`` (one text for Datasette and code)."""
    text = files("store").joinpath("datasette/metadata.yml").read_text(encoding="utf-8")
    return str(yaml.safe_load(text)["databases"]["frwatch"]["queries"][name]["sql"])
