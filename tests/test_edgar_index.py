"""EDGAR's fixed-width daily and quarterly indexes: form.idx and company.idx, broken and shifted rows."""

from __future__ import annotations

from crawler.edgar.index import parse_index

HEAD = """Description:           Daily Index of EDGAR Dissemination Feed by Form Type
Last Data Received:    Apr 25, 2024
Comments:              webmaster@sec.gov
Anonymous FTP:         ftp://ftp.sec.gov/edgar/




Form Type   Company Name                                                  CIK         Date Filed  File Name
---------------------------------------------------------------------------------------------------------------------------------------------
"""


def _row(form: str, company: str, cik: str, date: str, file_name: str) -> str:
    return f"{form:<12}{company:<62}{cik:<12}{date:<12}{file_name}         \n"


def test_form_index_rows_and_broken_rows(caplog):
    body = HEAD + "".join([
        _row("8-K", "CORVANE ANALYTICS CORP", "1888123", "20240425", "edgar/data/1888123/0001888123-24-000019.txt"),
        _row("DEF 14A", "NORTHWIND VISION SYSTEMS, INC.", "1888001", "20240425",
             "edgar/data/1888001/0001888001-24-000012.txt"),
        # A name longer than its column pushes the rest of the row right: read from the right all the same.
        "PX14A6G     GREENFIELD WORKERS PENSION TRUST FOR THE CITY AND COUNTY OF HARBORVIEW  1999999     20240425"
        "    edgar/data/1999999/0001999999-24-000031.txt\n",
        _row("8-K", "TRUNCATED ROW INC", "", "", ""),
        _row("8-K", "BAD DATE CO", "1777001", "20241345", "edgar/data/1777001/0001777001-24-000002.txt"),
        _row("4", "WRONG FOLDER LLC", "1777002", "20240425", "edgar/data/1999000/0001777002-24-000003.txt"),
        "\n",
    ])
    index = parse_index(body.encode("latin-1"), "form.20240425.idx")
    assert index.kind == "form" and index.problem is None
    assert [(r.form, r.cik, r.filed) for r in index.rows] == [
        ("8-K", 1888123, "2024-04-25"), ("DEF 14A", 1888001, "2024-04-25"), ("PX14A6G", 1999999, "2024-04-25")]
    assert index.rows[2].company == "GREENFIELD WORKERS PENSION TRUST FOR THE CITY AND COUNTY OF HARBORVIEW"
    assert index.repaired == 1
    assert index.rows[1].accession == "0001888001-24-000012"
    assert index.rows[1].url == "https://www.sec.gov/Archives/edgar/data/1888001/0001888001-24-000012.txt"
    assert [b.line for b in index.broken] == [14, 15, 16]
    assert "not a date" in index.broken[1].reason and "CIK 1999000" in index.broken[2].reason
    assert "line 15 skipped" in caplog.text


def test_company_index_with_its_wrapped_header_and_quarterly_dates():
    body = (
        "Description:           Daily Index of EDGAR Dissemination Feed by Company Name\n\n"
        "Company Name                                                  Form Type   CIK\n"
        "      Date Filed  File Name\n" + "-" * 145 + "\n"
        f"{'NORTHWIND VISION SYSTEMS, INC.':<62}{'DEFA14A':<12}{'1888001':<12}{'2024-05-02':<12}"
        "edgar/data/1888001/0001888001-24-000020.txt\n"
    )
    [row] = parse_index(body).rows
    assert (row.company, row.form, row.cik, row.filed) == ("NORTHWIND VISION SYSTEMS, INC.", "DEFA14A", 1888001,
                                                          "2024-05-02")


def test_empty_index_and_error_page():
    empty = parse_index(HEAD)
    assert (empty.kind, empty.rows, empty.broken, empty.problem) == ("form", [], [], None)
    page = parse_index(b"<html><body><h1>Request Rate Threshold Exceeded</h1></body></html>")
    assert page.rows == [] and page.kind is None and "no index column header" in (page.problem or "")
