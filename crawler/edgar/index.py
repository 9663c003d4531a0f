"""EDGAR's fixed-width indexes: ``form.idx`` (by form type) and ``company.idx`` (by company name).

Daily (``daily-index/…/form.YYYYMMDD.idx``) and quarterly (``full-index/…/form.idx``) files share one layout:
a few ``Key: value`` lines, a column header, a line of dashes, then one row per filing with the columns
Form Type (12 wide), Company Name (62), CIK (12), Date Filed (12; ``YYYYMMDD`` daily, ``YYYY-MM-DD``
quarterly) and File Name (``edgar/data/<cik>/<accession>.txt``). ``company.idx`` swaps the first two
columns, and its header is wrapped over two lines.

Rows are read from the right (file name, date, CIK are single tokens), so a company name longer than its
column, which pushes the rest of the row to the right, is still read; such a row is counted as
``repaired``. A row that cannot be read (no CIK, a date that is no date, a file name of another CIK) is
skipped, counted and logged with its reason. An index with a header and no rows gives no rows and no
complaint; a file with no header at all (an HTML error page) gives no rows and one problem.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

ARCHIVES = "https://www.sec.gov/Archives/"
_ROW = re.compile(
    r"^(?P<prefix>.*?\S)\s+(?P<cik>\d{1,10})\s+(?P<date>\d{8}|\d{4}-\d{2}-\d{2})\s+(?P<file>edgar/\S+)\s*$"
)
_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")


@dataclass(frozen=True)
class IndexRow:
    """One filing listed in an index."""

    form: str
    company: str
    cik: int
    filed: str
    file_name: str

    @property
    def url(self) -> str:
        """The full submission's address under the EDGAR archives."""
        return ARCHIVES + self.file_name

    @property
    def accession(self) -> str | None:
        """The accession number in the file name (``0001140361-20-006155``), if it has one."""
        found = _ACCESSION.search(self.file_name)
        return found.group(1) if found else None


@dataclass(frozen=True)
class BrokenRow:
    """A row that was skipped, with its line number (1-based) and why."""

    line: int
    reason: str
    text: str


@dataclass
class IndexFile:
    """What one index file held."""

    kind: str | None
    rows: list[IndexRow] = field(default_factory=list)
    broken: list[BrokenRow] = field(default_factory=list)
    repaired: int = 0
    problem: str | None = None


def _date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}").isoformat()
    except ValueError:
        return None


def _split_prefix(prefix: str, kind: str, width: int) -> tuple[str, str]:
    """``(form, company)`` from what precedes the CIK."""
    if kind == "form":
        return prefix[:width].strip(), prefix[width:].strip()
    if len(prefix) > width and prefix[width - 1] != " ":
        # The name ran past its column: the form is what follows the last run of two or more spaces.
        parts = re.split(r"\s{2,}", prefix.strip())
        if len(parts) >= 2:
            return parts[-1], " ".join(parts[:-1])
    return prefix[width:].strip(), prefix[:width].strip()


def parse_index(body: bytes | str, source: str = "index") -> IndexFile:
    """Every row of a ``form.idx`` or ``company.idx`` file; broken rows are skipped and logged.

    :param body: the index file as downloaded
    :param source: a name for log lines (the URL or file name)
    """
    text = body.decode("latin-1") if isinstance(body, bytes) else body
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines[:60]) if re.match(r"\s*(Form Type|Company Name)\s", line)), None)
    if header_at is None:
        problem = "no index column header (Form Type / Company Name) in the first 60 lines"
        log.warning("%s: %s; not an EDGAR index", source, problem)
        return IndexFile(kind=None, problem=problem)
    header = lines[header_at]
    kind = "form" if header.lstrip().startswith("Form Type") else "company"
    second = "Company Name" if kind == "form" else "Form Type"
    width = header.find(second) if second in header else (12 if kind == "form" else 62)
    cik_column = header.find("CIK")
    start = next((i + 1 for i in range(header_at, min(header_at + 4, len(lines)))
                  if re.fullmatch(r"-{20,}\s*", lines[i])), header_at + 1)
    result = IndexFile(kind=kind)
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        row = _ROW.match(line.rstrip())
        if not row:
            result.broken.append(BrokenRow(number, "no CIK, date and file name at the end of the row", line))
            continue
        form, company = _split_prefix(row.group("prefix"), kind, width)
        cik, filed, file_name = int(row.group("cik")), _date(row.group("date")), row.group("file")
        reason: str | None = None
        if filed is None:
            reason = f"date filed {row.group('date')!r} is not a date"
        elif not form or not company:
            reason = "no form type or no company name"
        elif (path_cik := re.match(r"edgar/data/(\d+)/", file_name)) and int(path_cik.group(1)) != cik:
            reason = f"file name is under CIK {path_cik.group(1)}, the row says {cik}"
        if reason or filed is None:
            result.broken.append(BrokenRow(number, reason or "no date", line))
            continue
        if cik_column >= 0 and row.start("cik") != cik_column:
            result.repaired += 1
            log.info("%s line %d: columns shifted (a long company name); read from the right", source, number)
        result.rows.append(IndexRow(form, company, cik, filed, file_name))
    for broken in result.broken:
        log.warning("%s line %d skipped: %s", source, broken.line, broken.reason)
    return result
