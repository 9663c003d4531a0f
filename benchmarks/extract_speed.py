"""Extraction speed and quality against plain trafilatura, page by page in the same run.

Reads the article-extraction benchmark in ``../shared/real/extraction-benchmark/`` (skipped when absent;
measurement only). Each page is extracted by frwatch, by trafilatura's default and by trafilatura's fast
mode one after another, so machine load falls on all three alike; ``--passes`` repeats the whole set and
keeps each page's fastest time. Scores are the shingle metric of :mod:`benchmarks.shingles`.

Command: ``.venv/bin/python -m benchmarks.extract_speed --passes 3``
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable

from benchmarks.real import REAL
from benchmarks.shingles import f1_of_averages, page_scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    folder = REAL / "extraction-benchmark"
    if not folder.is_dir():
        print(f"skipped: {folder} is absent")
        return 0
    import trafilatura

    from crawler import extract

    truth = json.loads((folder / "ground-truth.json").read_text())
    pages = [(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), row.get("url"),
              row["articleBody"]) for key, row in sorted(truth.items())]

    def ours(html: bytes, url: str | None) -> str:
        found = extract(html, url)
        return found.text if found else ""

    extractors: dict[str, Callable[[bytes, str | None], str]] = {
        "frwatch": ours,
        "trafilatura default": lambda html, url: trafilatura.extract(html, url=url) or "",
        "trafilatura fast": lambda html, url: trafilatura.extract(html, url=url, fast=True) or "",
    }
    for html, url, _ in pages[:3]:  # imports and first-call set-up out of the timings
        for run in extractors.values():
            run(html, url)
    best = {name: [float("inf")] * len(pages) for name in extractors}
    texts: dict[str, list[str]] = {name: [""] * len(pages) for name in extractors}
    for _ in range(args.passes):
        for i, (html, url, _) in enumerate(pages):
            for name, run in extractors.items():
                start = time.perf_counter()
                texts[name][i] = run(html, url)
                best[name][i] = min(best[name][i], (time.perf_counter() - start) * 1000)
    baseline = statistics.median(best["trafilatura default"])
    print(f"{len(pages)} pages, best of {args.passes} passes per page")
    print("| extractor | precision | recall | F1 | median ms/page | × trafilatura default |")
    print("|---|---|---|---|---|---|")
    for name in extractors:
        p, r, f = f1_of_averages(page_scores(t, truth_text) for t, (_, _, truth_text) in zip(texts[name], pages,
                                                                                             strict=True))
        median = statistics.median(best[name])
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {median:.1f} | {median / baseline:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
