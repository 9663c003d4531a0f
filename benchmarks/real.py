"""``make real``: measurements against the real public data in ../shared/real (skipped when absent).

Measures only; nothing here tunes or trains on that data.
- extraction: frwatch's extractor and plain trafilatura on the article-extraction benchmark;
- tagging: the tagger's precision and recall on the labelled development part of the real news items;
- EDGAR: parses every file in ../shared/real/edgar (submissions JSON, indexes, 8-Ks, proxies) and asserts
  their counts and names; a mismatch exits non-zero;
- training text: no line the project wrote in nlp/data/ shares a run of ten or more words with a real news
  or blog item outside quotation marks (a quoted statement or statute is a fact; a reworded headline is not);
  an offence exits non-zero.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REAL = Path(os.environ.get("FRWATCH_REAL_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "real"))


def extraction() -> None:
    import trafilatura

    from benchmarks.shingles import f1_of_averages, page_scores
    from crawler import extract

    folder = REAL / "extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text())
    ours, plain, ours_ms, plain_ms = [], [], [], []
    for page_id, row in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        start = time.perf_counter()
        found = extract(html, row.get("url"))
        ours_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        baseline = trafilatura.extract(html, url=row.get("url")) or ""
        plain_ms.append((time.perf_counter() - start) * 1000)
        ours.append(page_scores(found.text if found else "", row["articleBody"]))
        plain.append(page_scores(baseline, row["articleBody"]))
    for name, scores, times in (("frwatch", ours, ours_ms), ("trafilatura default", plain, plain_ms)):
        p, r, f = f1_of_averages(scores)
        median = statistics.median(times)
        print(f"  extraction {name:<20} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  median {median:.1f} ms/page")


def tagging() -> None:
    from nlp import NlpSettings, Tagger
    from store import LABELS

    items = {row["id"]: row for row in map(json.loads, (REAL / "news" / "items.jsonl").read_text().splitlines())}
    labels = [json.loads(line) for line in (REAL / "news" / "dev_labels.jsonl").read_text().splitlines()]
    tagger = Tagger(NlpSettings())
    results = tagger.tag_many([(items[row["id"]]["title"], items[row["id"]]["text"]) for row in labels])
    print(f"  tagging ({len(labels)} labelled development items; model {results[0].model_version})")
    for label in LABELS:
        tp = sum(1 for row, res in zip(labels, results, strict=True) if row[label] and res.labels[label].decision)
        fp = sum(1 for row, res in zip(labels, results, strict=True) if not row[label] and res.labels[label].decision)
        fn = sum(1 for row, res in zip(labels, results, strict=True) if row[label] and not res.labels[label].decision)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"    {label:<20} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  (positives {tp + fn})")


# EDGAR facts of the files in ../shared/real/edgar, read off the files themselves (counts and names only).
# Oracle's 2024 annual meeting (8-K Item 5.07): directors as (for, withheld), broker non-votes 250,464,124 each.
ORACLE_DIRECTORS = {
    "Awo Ablo": (2_300_385_739, 21_926_604), "Jeffrey S. Berg": (1_859_138_624, 463_173_719),
    "Michael J. Boskin": (2_140_398_571, 181_913_772), "Safra A. Catz": (2_241_298_667, 81_013_676),
    "Bruce R. Chizen": (1_856_043_824, 466_268_519), "George H. Conrades": (2_080_008_225, 242_304_118),
    "Lawrence J. Ellison": (2_275_340_897, 46_971_446), "Rona A. Fairhead": (2_278_263_025, 44_049_318),
    "Jeffrey O. Henley": (2_254_569_493, 67_742_850), "Charles W. Moorman": (2_187_168_934, 135_143_409),
    "Leon E. Panetta": (1_854_738_819, 467_573_524), "William G. Parrett": (1_940_282_368, 382_029_975),
    "Naomi O. Seligman": (2_112_996_591, 209_315_752),
}
# Matters as (number, for, against, abstain, broker non-votes); None where the filing gives none.
ORACLE_MATTERS = [
    ("2", 1_806_791_973, 508_390_449, 7_129_921, 250_464_124),
    ("3", 2_512_534_467, 56_267_628, 3_974_372, None),
    ("4", 119_105_093, 2_140_684_293, 62_522_957, 250_464_124),
]
# 1-800-Flowers' December 2023 meeting: directors (for, withheld), broker non-votes 3,936,780 each.
FLOWERS_DIRECTORS = {
    "Celia R. Brown": (281_090_975, 8_149_740), "James A. Cannavino": (287_953_057, 1_287_658),
    "Dina Colombo": (288_790_152, 450_563), "Eugene F. DeMark": (287_829_940, 1_410_775),
    "Leonard J. Elmore": (277_367_302, 11_873_413), "Adam Hanft": (288_767_638, 473_077),
    "Stephanie Redish Hofmann": (288_127_872, 1_112_843), "Christopher G. McCann": (281_565_032, 7_675_683),
    "James F. McCann": (280_503_042, 8_737_673), "Christina Shim": (288_448_638, 792_077),
    "Larry Zarin": (287_913_509, 1_327_206),
}
FLOWERS_MATTERS = [
    ("2", 292_485_982, 659_149, 32_364, 0),  # broker non-votes printed as a dash
    ("3", 285_361_185, 3_360_097, 519_433, 3_936_780),
    ("5", 286_524_932, 2_684_422, 31_361, 3_936_780),
]
FLOWERS_FREQUENCY = ("4", 13_768_995, 38_167, 275_268_419, 165_134)  # 1 year, 2 years, 3 years, abstain
# Submissions JSON: (file, company, rows, {form: rows}, 8-Ks with Item 5.07, paging files listed).
SUBMISSIONS = [
    ("company_submission.json", "Tesla, Inc.", 1001,
     {"8-K": 163, "DEF 14A": 10, "DEFA14A": 27, "PX14A6G": 17, "PRE 14A": 4, "DEFR14A": 0, "PX14A6N": 0}, 11,
     ["/submissions/CIK0001318605-submissions-001.json"]),
    ("CIK0000320193.json", "Apple Inc.", 1000,
     {"8-K": 108, "DEF 14A": 10, "DEFA14A": 12, "PX14A6G": 24, "PRE 14A": 1, "DEFR14A": 0, "PX14A6N": 1}, 11,
     ["/submissions/CIK0000320193-submissions-001.json"]),
    ("CIK0000320193-submissions-001.json", "", 988,
     {"8-K": 99, "DEF 14A": 19, "DEFA14A": 7, "PX14A6G": 6, "PRE 14A": 5, "DEFR14A": 2, "PX14A6N": 0}, 3, []),
]
# Indexes: (file, kind, rows, rows read from the right, broken rows, {form: rows}).
INDEXES = [
    ("form.20200318.idx", "form", 4084, 0, 0, {"4": 2040, "8-K": 232, "DEF 14A": 43, "DEFA14A": 37, "PRE 14A": 8}),
    ("company.20221003.idx", "company", 4925, 0, 0, {"4": 2067, "8-K": 280, "DEF 14A": 14, "DEFA14A": 17}),
    # The malformed index: one company name overruns its column and shifts the row; nothing is unreadable.
    ("badform.idx.txt", "form", 10, 1, 0, {"1-A": 5, "1-A POS": 1, "X-17A-5": 4}),
    ("empty-form.idx", "form", 0, 0, 0, {}),
]


def _check(failures: list[str], what: str, found: object, expected: object) -> None:
    if found != expected:
        failures.append(f"{what}: found {found!r}, expected {expected!r}")


def _check_votes(failures: list[str], name: str, votes: list[dict[str, Any]], directors: dict[str, tuple[int, int]],
                 broker: int, matters: Sequence[tuple[str, int, int, int, int | None]]) -> None:
    nominees = {str(v["title"]): v for v in votes if v["number"] == "1"}
    _check(failures, f"{name} nominees", sorted(nominees), sorted(directors))
    for nominee, (for_, withheld) in directors.items():
        row = nominees.get(nominee, {})
        _check(failures, f"{name} {nominee}", (row.get("for"), row.get("withheld"), row.get("against"),
                                               row.get("broker_non_votes")), (for_, withheld, None, broker))
    by_number = {str(v["number"]): v for v in votes if v["number"] != "1"}
    for number, for_, against, abstain, brokers in matters:
        row = by_number.get(number, {})
        _check(failures, f"{name} matter {number}", tuple(row.get(k) for k in ("for", "against", "abstain",
                                                                               "broker_non_votes", "withheld")),
               (for_, against, abstain, brokers, None))


def edgar() -> None:
    """Parse every file in ../shared/real/edgar and assert what is true of each; exit non-zero on a mismatch."""
    import collections

    from crawler.edgar.forms import parse_filing
    from crawler.edgar.index import parse_index
    from crawler.edgar.submissions import history_paths, recent_filings

    folder = REAL / "edgar"
    failures: list[str] = []
    for name, company, rows, forms, with_507, pages in SUBMISSIONS:
        data = json.loads((folder / name).read_text())
        refs = list(recent_filings(data))
        counted = collections.Counter(r.form for r in refs)
        _check(failures, f"{name} company", refs[0].company if refs else None, company)
        _check(failures, f"{name} rows", len(refs), rows)
        _check(failures, f"{name} forms", {form: counted[form] for form in forms}, forms)
        _check(failures, f"{name} 8-K 5.07", sum(1 for r in refs if r.form == "8-K" and "5.07" in r.items), with_507)
        _check(failures, f"{name} paging", history_paths(data), pages)
        print(f"  edgar {name}: {len(refs)} filings, {sum(counted[f] for f in forms)} of the followed forms, "
              f"{len(history_paths(data))} paging file(s)")
    for name, kind, rows, repaired, broken, forms in INDEXES:
        index = parse_index((folder / name).read_bytes(), name)
        counted = collections.Counter(r.form for r in index.rows)
        _check(failures, f"{name} kind", index.kind, kind)
        _check(failures, f"{name} rows / repaired / broken", (len(index.rows), index.repaired, len(index.broken)),
               (rows, repaired, broken))
        _check(failures, f"{name} forms", {form: counted[form] for form in forms}, forms)
        _check(failures, f"{name} file names", all(r.file_name.startswith(f"edgar/data/{r.cik}/") for r in index.rows),
               True)
        print(f"  edgar {name}: {len(index.rows)} rows, {index.repaired} read from the right, "
              f"{len(index.broken)} broken")

    def parsed(name: str) -> dict[str, Any]:
        return parse_filing((folder / name).read_bytes())

    oracle = parsed("Oracle.8-K.html")
    _check(failures, "Oracle form/items/company", (oracle["form"], oracle["items"], oracle["company"]),
           ("8-K", ["5.07"], "Oracle Corporation"))
    _check(failures, "Oracle rows", len(oracle["votes"]), 16)
    _check_votes(failures, "Oracle", oracle["votes"], ORACLE_DIRECTORS, 250_464_124, ORACLE_MATTERS)
    flowers = parsed("1800Flowers.8-K.html")
    _check(failures, "1-800-Flowers form/items", (flowers["form"], flowers["items"]), ("8-K", ["5.07"]))
    _check(failures, "1-800-Flowers rows", len(flowers["votes"]), 15)
    _check_votes(failures, "1-800-Flowers", flowers["votes"], FLOWERS_DIRECTORS, 3_936_780, FLOWERS_MATTERS)
    frequency: dict[str, Any] = next((v for v in flowers["votes"] if v["number"] == "4"), {})
    _check(failures, "1-800-Flowers frequency vote",
           tuple(frequency.get(k) for k in ("number", "one_year", "two_years", "three_years", "abstain", "for",
                                            "against")), (*FLOWERS_FREQUENCY, None, None))
    buckle = parsed("BuckleInc.8-K.html")  # an earnings 8-K: no Item 5.07, so no votes
    _check(failures, "Buckle form/items/votes", (buckle["form"], buckle["items"], buckle["votes"], buckle["company"]),
           ("8-K", ["2.02", "9.01"], [], "THE BUCKLE, INC."))
    trowe = parsed("troweprice.DEF14A.html")  # EDGAR's "Filing Detail" page of the fund proxy, not the proxy
    _check(failures, "T. Rowe Price page", (trowe["form"], trowe["company"], trowe["cik"], trowe["meeting_date"],
                                            trowe["proposals"]),
           ("DEF 14A", "T. Rowe Price Small-Cap Stock Fund, Inc.", 75170, "2023-07-24", []))
    sgml = parsed("0000893739-20-000019.txt")
    proposals = sgml["proposals"]
    _check(failures, "SGML DEF 14A header", (sgml["form"], sgml["company"], sgml["cik"], sgml["meeting_date"]),
           ("DEF 14A", "180 DEGREE CAPITAL CORP. /NY/", 893739, "2020-05-14"))
    _check(failures, "SGML DEF 14A proposals",
           [(p["number"], p["title"], p["kind"], p["board_recommendation"]) for p in proposals],
           [("1", "Election Of Directors", "management", "FOR"), ("2", "Reverse Stock Split", "management", "FOR"),
            ("3", "Selection Of Independent Registered Public Accountant", "management", "FOR")])
    for name in ("Oracle.8-K.html", "1800Flowers.8-K.html", "BuckleInc.8-K.html", "troweprice.DEF14A.html",
                 "0000893739-20-000019.txt"):
        record = parsed(name)
        found = record.get("votes") if record["form"] == "8-K" else record.get("proposals")
        print(f"  edgar parse-filing {name}: form {record['form']}, company {record['company']!r}, "
              f"{len(found or [])} {'votes' if record['form'] == '8-K' else 'proposals'}")
    if failures:
        print("  edgar: FAILED\n" + "\n".join(f"    {line}" for line in failures))
        raise SystemExit(1)
    print("  edgar: every asserted count, form and name matches")


# Ten words in a row are a copied clause; shorter runs are names ("Illinois Biometric Information Privacy
# Act") and stock phrases ("police use of facial recognition").
COPIED_RUN = 10
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def word_runs(text: str, n: int, quotes_count: bool = True) -> set[tuple[str, ...]]:
    """The n-word runs of ``text`` (lower-cased words); with ``quotes_count`` off, only those outside
    quotation marks."""
    runs: set[tuple[str, ...]] = set()
    for part in ([text] if quotes_count else QUOTED.split(text)):
        words = re.findall(r"[a-z0-9']+", part.lower())
        runs.update(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return runs


def training_text() -> None:
    from nlp.dataset import DATA_DIR

    real: dict[tuple[str, ...], str] = {}
    for row in map(json.loads, (REAL / "news" / "items.jsonl").read_text().splitlines()):
        if row.get("kind") == "filing":  # proxy formulae ("independent registered public accounting firm for
            continue  # the fiscal year ending") are every filer's words, the project's filings use them too
        for run in word_runs(f"{row['title'] or ''} {row['text'] or ''}", COPIED_RUN):
            real.setdefault(run, row["id"])
    offences, lines = [], 0
    for path in sorted(DATA_DIR.glob("*.jsonl")):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            lines += 1
            ours = word_runs(f"{row.get('title') or ''}\n{row['text']}", COPIED_RUN, quotes_count=False)
            shared = sorted(run for run in ours if run in real)
            if shared:
                offences.append(f"{path.name} {row['id']}: {' '.join(shared[0])!r} (real item {real[shared[0]]})")
    if offences:
        print(f"  training text: FAILED, {len(offences)} of {lines} lines share {COPIED_RUN} words in a row with a "
              "real item; reword them in the project's own words:\n" + "\n".join(f"    {o}" for o in offences))
        raise SystemExit(1)
    print(f"  training text: none of {lines} lines shares {COPIED_RUN} words in a row with a real news item")


def main() -> int:
    if not REAL.is_dir():
        print(f"real-data checks skipped: {REAL} is absent")
        return 0
    print(f"real-data checks on {REAL}")
    for check in (training_text, edgar, extraction, tagging):
        check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
