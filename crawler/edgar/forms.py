"""Which EDGAR form a document is, and the whole ``parse-filing`` record of it.

The form comes from an SGML submission header (``CONFORMED SUBMISSION TYPE`` / ``<TYPE>``) when there is
one, else from the document's own cover wording.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.edgar.proxy import meeting_date, parse_proposals
from crawler.edgar.text import filing_text
from crawler.edgar.votes import parse_votes, section_507

PROXY_FORMS = ("DEF 14A", "DEFR14A", "PRE 14A", "DEFA14A")
CHECKED = r"(?:☒|\[X\]|x)\s*\|?\s*"
COVER = (
    ("8-K", re.compile(r"^FORM\s+8-K\s*$", re.I | re.M)),
    ("10-K", re.compile(r"^FORM\s+10-K\s*$", re.I | re.M)),
    ("PX14A6G", re.compile(r"NOTICE OF EXEMPT SOLICITATION|Rule 14a-6\(g\)", re.I)),
    ("DEFA14A", re.compile(CHECKED + r"Definitive Additional Materials", re.I)),
    ("PRE 14A", re.compile(CHECKED + r"Preliminary Proxy Statement", re.I)),
    ("DEF 14A", re.compile(r"SCHEDULE 14A|DEFINITIVE PROXY STATEMENT", re.I)),
)


def detect_form(raw: str, text: str) -> str | None:
    """The form type of a filing document, or None when nothing says."""
    header = re.search(r"(?:CONFORMED SUBMISSION TYPE:|<TYPE>)\s*([A-Z0-9 -]+?)\s*$", raw[:5000], re.M)
    if header:
        return header.group(1).strip()
    for form, pattern in COVER:
        if pattern.search(text[:6000]):
            return form
    return None


def _company(raw: str, text: str) -> tuple[str | None, int | None]:
    name = re.search(r"COMPANY CONFORMED NAME:\s*(.+)", raw[:5000])
    cik = re.search(r"CENTRAL INDEX KEY:\s*(\d+)", raw[:5000])
    if name:
        return name.group(1).strip(), int(cik.group(1)) if cik else None
    named = re.search(r"NAME OF REGISTRANT:\s*\|?\s*(.+)", text[:6000])
    if named:
        return named.group(1).strip(), None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if re.match(r"\(?(?:Exact )?name of registrant", line, re.I) and i > 0:
            return lines[i - 1], None
    return None, None


def parse_filing(body: bytes, form: str | None = None) -> dict[str, Any]:
    """The ``frwatch parse-filing`` record of one document.

    :param form: the form when known; detected from the document otherwise
    """
    raw = body.decode("utf-8", "replace")
    _title, text = filing_text(body)
    form = form or detect_form(raw, text) or "unknown"
    company, cik = _company(raw, text)
    if form.startswith("8-K"):
        items = sorted(set(re.findall(r"Item\s*(\d\.\d\d)", text, re.I)))
        return {"form": "8-K", "company": company, "cik": cik, "items": items,
                "votes": [v.as_json() for v in parse_votes(text)] if re.search(r"5\.07", section_507(text)) else []}
    record: dict[str, Any] = {"form": form, "company": company, "cik": cik, "meeting_date": meeting_date(text)}
    proxy = form in (*PROXY_FORMS, "unknown")
    record["proposals"] = [p.as_json() for p in parse_proposals(text)] if proxy else []
    return record
