"""Filing documents as text: XHTML with an XML declaration, table rows kept on one line."""

from __future__ import annotations

from crawler.edgar.submissions import FilingRef, recent_filings, wanted
from crawler.edgar.text import filing_text

XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>8-K</title></head><body>
<p><b>Item 5.07 Submission of Matters to a Vote of Security Holders</b></p>
<table>
<tr><td><p>Director Nominee</p></td><td><div>Votes For</div></td><td><p>Votes Withheld</p></td></tr>
<tr><td><p>Maria Okafor</p></td><td><p>1,204,118,330</p></td><td><p>12,400,921</p></td></tr>
</table>
<p>The proposal on face-matching sales to government agencies received 8,965,878 votes for.</p>
</body></html>"""


def test_xhtml_with_declaration_and_rows_on_one_line():
    title, text = filing_text(XHTML)
    assert title == "8-K"
    assert "Director Nominee | Votes For | Votes Withheld" in text
    assert "Maria Okafor | 1,204,118,330 | 12,400,921" in text
    assert "8,965,878 votes for" in text


def test_plain_text_filing():
    title, text = filing_text(b"<SEC-DOCUMENT>\n<TYPE>DEF 14A\nPROPOSAL 4 - SHAREHOLDER PROPOSAL\n")
    assert title == "" and "PROPOSAL 4 - SHAREHOLDER PROPOSAL" in text


def test_submissions_arrays_and_the_forms_followed():
    data = {"cik": "1018724", "name": "AMAZON COM INC", "filings": {"recent": {
        "accessionNumber": ["0001-19-000001", "0001-19-000002", "0001-19-000003", "0001-19-000004"],
        "form": ["8-K", "8-K", "DEF 14A", "10-Q"],
        "filingDate": ["2019-05-24", "2019-04-25", "2019-04-11", "2019-04-26"],
        "reportDate": ["2019-05-22", "", "2019-05-22", "2019-03-31"],
        "items": ["5.07", "2.02,9.01", "", ""],
        "primaryDocument": ["a.htm", "b.htm", "c.htm", "d.htm"],
    }}}
    refs = list(recent_filings(data))
    assert [r.form for r in refs] == ["8-K", "8-K", "DEF 14A", "10-Q"]
    followed = [r for r in refs if wanted(r, ["DEF 14A", "8-K"])]
    assert [r.accession for r in followed] == ["0001-19-000001", "0001-19-000003"]
    assert followed[0].archive_path() == "/Archives/edgar/data/1018724/000119000001/a.htm"
    assert isinstance(followed[0], FilingRef) and followed[1].report_date == "2019-05-22"
