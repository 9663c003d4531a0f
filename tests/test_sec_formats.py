"""EDGAR discovery formats: full-text search pages and date splitting, submissions paging, the ticker map,
and the meeting facts (dates, named proposal numbers) that link filings."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.edgar.efts import WINDOW, next_offset, parse_search, search_url, split_range
from crawler.edgar.meetings import iso_date, meeting_year, named_numbers, solicitation_filer
from crawler.edgar.submissions import ciks_for_tickers, history_paths, recent_filings


def hit(accession: str, document: str, cik: str = "0001018724", form: str = "DEF 14A") -> dict[str, object]:
    return {
        "_id": f"{accession}:{document}",
        "_source": {"adsh": accession, "ciks": [cik], "display_names": [f"AMAZON COM INC  (AMZN)  (CIK {cik})"],
                    "form": form, "root_forms": [form], "file_date": "2020-04-10", "period_ending": "2020-05-27",
                    "items": []},
    }


def test_search_url_carries_phrase_forms_and_dates():
    url = search_url("https://efts.sec.gov/LATEST/", "facial recognition", ["DEF 14A", "PX14A6G"],
                     date(2020, 1, 1), date(2020, 6, 30), offset=200)
    parts = urlsplit(url)
    assert parts.path == "/LATEST/search-index"
    query = parse_qs(parts.query)
    assert query == {"q": ['"facial recognition"'], "forms": ["DEF 14A,PX14A6G"], "dateRange": ["custom"],
                     "startdt": ["2020-01-01"], "enddt": ["2020-06-30"], "from": ["200"]}


def test_search_hits_are_deduplicated_by_accession():
    page = parse_search({"hits": {"total": {"value": 3, "relation": "eq"}, "hits": [
        hit("0001193125-20-102734", "d866531ddef14a.htm"),
        hit("0001193125-20-102734", "d866531dex99.htm"),  # an exhibit of the same filing
        hit("0001214659-20-004402", "p51120px14a6g.htm", form="PX14A6G"),
        {"_id": "broken", "_source": {"ciks": []}},
    ]}})
    assert [h.accession for h in page.hits] == ["0001193125-20-102734", "0001214659-20-004402"]
    first = page.hits[0]
    assert (first.cik, first.company, first.form, first.primary_document) == (
        1018724, "AMAZON COM INC", "DEF 14A", "d866531ddef14a.htm")
    assert first.archive_path() == "/Archives/edgar/data/1018724/000119312520102734/d866531ddef14a.htm"
    assert not page.capped and page.raw_hits == 4


def test_a_full_window_is_capped_and_split_in_halves_down_to_a_day():
    page = parse_search({"hits": {"total": {"value": WINDOW, "relation": "gte"}, "hits": []}})
    assert page.capped
    assert split_range(date(2020, 1, 1), date(2020, 1, 10)) == [
        (date(2020, 1, 1), date(2020, 1, 5)), (date(2020, 1, 6), date(2020, 1, 10))]
    assert split_range(date(2020, 1, 1), date(2020, 1, 2)) == [
        (date(2020, 1, 1), date(2020, 1, 1)), (date(2020, 1, 2), date(2020, 1, 2))]
    assert split_range(date(2020, 1, 1), date(2020, 1, 1)) == [(date(2020, 1, 1), date(2020, 1, 1))]


def test_paging_stops_at_the_last_page_and_at_the_window():
    full = parse_search({"hits": {"total": {"value": 250}, "hits": [hit(f"0000000001-20-{i:06d}", "a.htm")
                                                                     for i in range(100)]}})
    assert next_offset(full, 0) == 100 and next_offset(full, 100) == 200 and next_offset(full, 200) is None
    short = parse_search({"hits": {"total": {"value": 250}, "hits": [hit("0000000001-20-000001", "a.htm")]}})
    assert next_offset(short, 0) is None


@pytest.mark.parametrize("data", [[], {"hits": []}, {"error": "x"}, {"hits": {"hits": "nope"}}])
def test_a_search_answer_without_hits_is_refused(data):
    with pytest.raises(ValueError):
        parse_search(data)


def test_submissions_paging_files_and_their_rows():
    data = {"cik": "1018724", "name": "AMAZON COM INC", "filings": {"recent": {}, "files": [
        {"name": "CIK0001018724-submissions-001.json", "filingCount": 2},
        {"name": "../elsewhere.json"}, {"name": "notes.txt"}]}}
    assert history_paths(data) == ["/submissions/CIK0001018724-submissions-001.json"]
    page = {"accessionNumber": ["0001018724-19-000030"], "form": ["8-K"], "filingDate": ["2019-05-24"],
            "reportDate": ["2019-05-22"], "items": ["5.07"], "primaryDocument": ["a8-k20190522.htm"]}
    [ref] = recent_filings({"cik": data["cik"], "name": data["name"], "filings": {"recent": page}})
    assert (ref.cik, ref.company, ref.form, ref.items, ref.report_date) == (
        1018724, "AMAZON COM INC", "8-K", "5.07", "2019-05-22")


def test_tickers_map_to_ciks_without_regard_to_case():
    data = {"0": {"cik_str": 1018724, "ticker": "AMZN", "title": "AMAZON COM INC"},
            "1": {"cik_str": 68505, "ticker": "MSI", "title": "Motorola Solutions"}, "2": {"ticker": "BAD"}}
    assert ciks_for_tickers(data, ["amzn", "MSI", "NOPE"]) == ({"amzn": 1018724, "MSI": 68505}, ["NOPE"])


def test_meeting_facts():
    assert iso_date("May 22, 2019") == "2019-05-22" and iso_date("May 27 , 2020") == "2020-05-27"
    assert iso_date("next spring") is None and iso_date(None) is None
    assert meeting_year(None, "2020-05-27", "2020-04-10") == 2020
    assert meeting_year(None, "", "2019-05-08") == 2019 and meeting_year(None, None, None) is None
    text = ("Vote FOR Item 6 and FOR Item 7. We are writing about Items 6 and 7; see Proposal No. 5. "
            "Item 5.07 and Item 1A are not proposals; nor is Items 4, 9 or 12 missing.")
    assert named_numbers(text) == ("6", "7", "5", "4", "9", "12")
    assert solicitation_filer("NAME OF PERSON RELYING ON EXEMPTION: | Lantern Hill Network\n") == "Lantern Hill Network"
