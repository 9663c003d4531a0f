"""``make real``: measurements against the real public data in ../shared/real (skipped when absent).

Measures only; nothing here tunes or trains on that data.
- extraction: frwatch's extractor and plain trafilatura on the article-extraction benchmark;
- tagging: the tagger's precision and recall on the labelled development part of the real news items;
- EDGAR: the submissions parser on real submissions JSON.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

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


def edgar() -> None:
    from crawler.config import SEC_FORMS
    from crawler.edgar.submissions import recent_filings, wanted

    for name in ("company_submission.json", "CIK0000320193.json", "CIK0000320193-submissions-001.json"):
        data = json.loads((REAL / "edgar" / name).read_text())
        refs = list(recent_filings(data))
        kept = [r for r in refs if wanted(r, list(SEC_FORMS))]
        forms = sorted({r.form for r in kept})
        print(f"  edgar {name}: {len(refs)} filings, {len(kept)} followed ({', '.join(forms)})")
        assert all(r.accession and r.primary_document for r in kept), name
    from crawler.edgar.forms import parse_filing

    for name in ("Oracle.8-K.html", "1800Flowers.8-K.html", "BuckleInc.8-K.html", "troweprice.DEF14A.html",
                 "0000893739-20-000019.txt"):
        record = parse_filing((REAL / "edgar" / name).read_bytes())
        found = record.get("votes") if record["form"] == "8-K" else record.get("proposals")
        print(f"  edgar parse-filing {name}: form {record['form']}, company {record['company']!r}, "
              f"{len(found or [])} {'votes' if record['form'] == '8-K' else 'proposals'}")


def main() -> int:
    if not REAL.is_dir():
        print(f"real-data checks skipped: {REAL} is absent")
        return 0
    print(f"real-data checks on {REAL}")
    for check in (edgar, extraction, tagging):
        check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
