"""Speed of ``parse_filing`` on large proxy statements: the 1.5 MB SGML DEF 14A submission in
../shared/real/edgar (skipped when absent) and a ~2 MB HTML proxy built from the project's own fixture.

The 2 MB proxy repeats the body of ``tests/fixtures/edgar/proxy-stockholder.htm`` (notice, contents,
three proposals with WHEREAS / RESOLVED / opposing statements) with its proposal numbers moved on at each
copy, so the parser sees many distinct proposals, as in a long proxy, not one section repeated.

``python -m benchmarks.edgar_parse [--runs N] [--write]``: prints the median and writes it into the
``edgar-parse`` section of benchmarks/README.md with ``--write``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from benchmarks.real import REAL

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "edgar" / "proxy-stockholder.htm"
README = ROOT / "benchmarks" / "README.md"
SGML = "0000893739-20-000019.txt"


def big_proxy(size: int = 2_000_000) -> bytes:
    """An HTML proxy of about ``size`` bytes made of renumbered copies of the fixture's body."""
    html = FIXTURE.read_text()
    head, body = html.split("<body>", 1)
    body = body.rsplit("</body>", 1)[0]
    parts: list[str] = []
    copy = 0
    while sum(len(p) for p in parts) < size:
        def renumber(match: re.Match[str], shift: int = copy * 3 % 96) -> str:
            return f"{match.group(1)}{int(match.group(2)) + shift}"

        parts.append(re.sub(r"(PROPOSAL NO\. |Proposal No\. )(\d+)", renumber, body))
        copy += 1
    return (head + "<body>" + "".join(parts) + "</body></html>").encode()


def median_ms(body: bytes, runs: int) -> tuple[float, int]:
    """Median wall time of ``parse_filing`` in milliseconds, and how many proposals it found."""
    from crawler.edgar.forms import parse_filing

    times: list[float] = []
    found = 0
    for _ in range(runs):
        start = time.perf_counter()
        record = parse_filing(body)
        times.append((time.perf_counter() - start) * 1000)
        found = len(record["proposals"])
    return statistics.median(times), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per document (median reported)")
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args(argv)
    rows = []
    documents = [("own 2 MB HTML proxy (fixture repeated)", big_proxy())]
    if (REAL / "edgar" / SGML).is_file():
        documents.insert(0, (f"real SGML DEF 14A `{SGML}`", (REAL / "edgar" / SGML).read_bytes()))
    else:
        print(f"real SGML submission skipped: {REAL / 'edgar' / SGML} is absent")
    median_ms(documents[-1][1][:200_000], 1)  # warm-up: imports and compiled patterns
    for name, body in documents:
        ms, proposals = median_ms(body, args.runs)
        rows.append(f"| {name} | {len(body) / 1e6:.2f} MB | {proposals} | {ms:.0f} ms |")
        print(rows[-1])
    if args.write:
        table = "\n".join(["| document | size | proposals found | median parse time |", "|---|---|---|---|", *rows])
        text = README.read_text()
        start, end = "<!-- edgar-parse -->", "<!-- /edgar-parse -->"
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        README.write_text(f"{before}{start}\n{table}\n\nRuns per document: {args.runs}.\n{end}{after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
