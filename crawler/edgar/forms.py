"""Which EDGAR form a document is, and the whole ``parse-filing`` record of it.

A document comes as HTML, as plain text, or as a full SGML submission (``<accession>.txt``); from a
submission the document whose ``<TYPE>`` is the form is parsed, and the company comes from the header
(for an exempt solicitation, the subject company; the filer is the proponent). The form comes from the
caller, else the submission header, else the document's own cover wording.

The record is the stable contract of ``frwatch parse-filing``:

- a proxy (DEF 14A, DEFR14A, PRE 14A, DEFA14A, PX14A6G, PX14A6N): ``form``, ``company``, ``cik``,
  ``meeting_date`` (ISO 8601 or null), ``proposals`` (``number``, ``title``, ``kind``,
  ``board_recommendation``, ``proponent``, ``text``);
- an 8-K: ``form``, ``company``, ``cik``, ``items``, ``votes`` (``number``, ``title``, ``for``, ``against``,
  ``abstain``, ``broker_non_votes``, ``withheld``; missing counts null; a frequency vote adds ``one_year``,
  ``two_years``, ``three_years``).

Bad input (an error page, an EDGAR folder page instead of the document, a filing without the expected
sections) gives the record with empty lists and a logged reason; it never raises.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from crawler.edgar.proxy import meeting_date, mentioned_proposals, parse_proposals
from crawler.edgar.sgml import Submission, is_submission, parse_submission
from crawler.edgar.text import filing_text
from crawler.edgar.votes import parse_votes, section_507

log = logging.getLogger(__name__)

PROXY_FORMS = ("DEF 14A", "DEFR14A", "PRE 14A", "PREC14A", "DEFC14A", "DEFA14A", "DFAN14A", "PX14A6G", "PX14A6N")
SOLICITATIONS = ("DEFA14A", "DFAN14A", "PX14A6G", "PX14A6N")
CHECKED = r"(?:☒|☑|■|\[X\]|x)\s*\|?\s*"
COVER = (
    ("8-K", re.compile(r"^FORM\s+8-K(?:/A)?\s*$", re.I | re.M)),
    ("10-K", re.compile(r"^FORM\s+10-K\s*$", re.I | re.M)),
    ("PX14A6N", re.compile(r"Rule 14a-6\(g\)[^\n]{0,80}notice|PX14A6N", re.I)),
    ("PX14A6G", re.compile(r"NOTICE OF EXEMPT SOLICITATION|Rule 14a-6\(g\)|Rule 14a-103", re.I)),
    ("DEFA14A", re.compile(CHECKED + r"Definitive Additional Materials", re.I)),
    ("PRE 14A", re.compile(CHECKED + r"Preliminary Proxy Statement", re.I)),
    ("DEF 14A", re.compile(r"SCHEDULE 14A|DEFINITIVE PROXY STATEMENT|NOTICE OF (?:\d{4} )?ANNUAL MEETING", re.I)),
)
# EDGAR's own pages, not a filing: the folder's "Filing Detail" index and the error pages.
FOLDER_PAGE = re.compile(r"Filing Detail|Document Format Files", re.I)
ERROR_PAGE = re.compile(r"Request Rate Threshold Exceeded|Page Not Found|404 Not Found|Access Denied|"
                        r"Your Request Originates from an Undeclared Automated Tool", re.I)


def detect_form(raw: str, text: str) -> str | None:
    """The form type of a filing document, or None when nothing says."""
    header = re.search(r"(?:CONFORMED SUBMISSION TYPE:|^<TYPE>)[ \t]*([A-Z0-9][A-Z0-9 /-]*?)[ \t]*$", raw[:5000], re.M)
    if header:
        return header.group(1).strip()
    folder = re.search(r"^Form ([A-Z0-9][A-Z0-9 /-]{1,12}?) - ", text[:20000], re.M)
    if folder and FOLDER_PAGE.search(text[:5000]):
        return folder.group(1)
    for form, pattern in COVER:
        if pattern.search(text[:8000]):
            return form
    return None


def _company_from_text(text: str) -> str | None:
    named = re.search(r"NAME OF REGISTRANT:\s*\|?\s*(.+)", text[:8000], re.I)
    if named:
        return named.group(1).strip()
    lines = [line.strip() for line in text[:20000].splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if re.match(r"\(?(?:Exact )?name of (?:the )?registrant", line, re.I) and i > 0:
            return lines[i - 1].strip(" |")
    return None


def _empty(form: str, company: str | None, cik: int | None) -> dict[str, Any]:
    if form.startswith("8-K"):
        return {"form": form, "company": company, "cik": cik, "items": [], "votes": []}
    return {"form": form, "company": company, "cik": cik, "meeting_date": None, "proposals": []}


def _truncated(content: bytes) -> bool:
    """An HTML document cut off before its end (no closing body or html tag)."""
    tail = content[-2000:].lower()
    return b"<html" in content[:5000].lower() and b"</html>" not in tail and b"</body>" not in tail


def _folder_page(text: str, form: str) -> dict[str, Any]:
    """An EDGAR "Filing Detail" page: the form and the first filer, no document to parse."""
    filer = re.search(r"^(.+?) \((?:Filer|Subject)\)\s*\n+\s*CIK:\s*(\d+)", text, re.M)
    record = _empty(form, filer.group(1).strip() if filer else None, int(filer.group(2)) if filer else None)
    period = re.search(r"Period of Report\s*\n+\s*(\d{4}-\d{2}-\d{2})", text)
    if "meeting_date" in record and period:
        record["meeting_date"] = period.group(1)
    primary = re.search(r"^1 \| (?:[^|\n]+ \| )?(\S+\.(?:htm|html|txt)) \|", text, re.M)
    log.warning("an EDGAR filing index page, not the filing: no proposals or votes in it%s",
                f" (the document is {primary.group(1)})" if primary else "")
    return record


def parse_filing(body: bytes, form: str | None = None) -> dict[str, Any]:
    """The ``frwatch parse-filing`` record of one document.

    :param body: the document, or a full SGML submission, as downloaded
    :param form: the form when known; detected from the document otherwise
    """
    try:
        return _parse(body, form)
    except (ValueError, UnicodeError, RecursionError, etree.LxmlError) as error:
        # Malformed input that got past the readers' own checks: say so, return nothing that looks parsed.
        log.warning("could not parse the filing (%s: %s)", type(error).__name__, error)
        return _empty(form or "unknown", None, None)


def _parse(body: bytes, form: str | None) -> dict[str, Any]:
    raw = body.decode("utf-8", "replace")
    submission: Submission | None = None
    company: str | None = None
    cik: int | None = None
    filer: str | None = None
    if is_submission(raw):
        submission = parse_submission(raw)
        form = form or submission.form
        document = submission.primary(form)
        if document is None:
            log.warning("the submission %s holds no readable document", submission.accession or "")
        content: bytes = document.text.encode("utf-8") if document else b""
        subject = submission.party("subject company", "filer", "issuer")
        company, cik = (subject.name, subject.cik) if subject else (None, None)
        filed_by = submission.party("filed by")
        filer = filed_by.name if filed_by and filed_by is not subject else None
    else:
        content = body
    _title, text = filing_text(content)
    form = (form or detect_form(raw, text) or "").upper().strip() or "unknown"
    if FOLDER_PAGE.search(text[:5000]) and re.search(r"SEC Accession No", text[:20000]):
        return _folder_page(text, form)
    if len(text) < 3000 and ERROR_PAGE.search(text):
        log.warning("an error page, not a filing: %s", ERROR_PAGE.search(text).group(0))  # type: ignore[union-attr]
        return _empty(form, None, None)
    if company is None:
        company = _company_from_text(text)
    if form.startswith("8-K"):
        items = sorted(set(re.findall(r"\bItem\s*(\d\.\d\d)", text, re.I)))
        section = section_507(text)
        found = parse_votes(section) if section else []
        if found and found[-1].short and _truncated(content):
            log.warning("the document ends early: its last vote row %r is dropped", found[-1].title[:60])
            found.pop()
        votes = [v.as_json() for v in found]
        if "5.07" in items and not votes:
            log.warning("8-K names Item 5.07 but no vote result could be read from it")
        return {"form": "8-K" if form == "8-K" else form, "company": company, "cik": cik, "items": items,
                "votes": votes}
    record = _empty(form, company, cik)
    record["meeting_date"] = meeting_date(text)
    if record["meeting_date"] is None and submission and submission.period and form in PROXY_FORMS:
        record["meeting_date"] = submission.period  # a proxy's period of report is its meeting date
    if form in SOLICITATIONS:
        proposals = mentioned_proposals(text, form)
        if filer and form.startswith("PX14A6"):
            for proposal in proposals:
                proposal.proponent = proposal.proponent or filer
        record["proposals"] = [p.as_json() for p in proposals]
    elif form in PROXY_FORMS or form == "unknown":
        record["proposals"] = [p.as_json() for p in parse_proposals(text)]
        if not record["proposals"]:
            log.warning("no proposal headings found in this %s", form)
    else:
        log.warning("form %s is neither a proxy nor an 8-K: nothing to parse", form)
    return record
