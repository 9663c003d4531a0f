"""Full EDGAR submissions (the ``<accession>.txt`` "complete submission text file") in their SGML wrapping.

A submission is an ``<SEC-HEADER>`` of ``KEY: value`` lines (accession number, conformed submission type,
period of report, and one block per party: ``FILER``, ``SUBJECT COMPANY``, ``FILED BY``) followed by one
``<DOCUMENT>`` per file, each with ``<TYPE>``, ``<SEQUENCE>``, ``<FILENAME>``, ``<DESCRIPTION>`` and a
``<TEXT>`` body (HTML, plain text, or a uuencoded graphic or PDF). The header also comes in a tagged
variant (``<ACCESSION-NUMBER>``, ``<CONFORMED-NAME>``...) in ``.hdr.sgml`` files; both are read.

The document to parse is the one whose ``<TYPE>`` is the submission's form, not the exhibits and graphics
that travel with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DOCUMENT = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_TAG = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*(.*?)[ \t]*$", re.M | re.I)
_TEXT = re.compile(r"<TEXT>\s*(.*?)(?:</TEXT>|\Z)", re.S | re.I)
# Parties in the header: the block name, then its company data.
_PARTY = re.compile(r"^\s*<?(FILER|SUBJECT[ -]COMPANY|FILED[ -]BY|REPORTING[ -]OWNER|ISSUER)>?:?\s*$", re.M | re.I)
_NAME = re.compile(r"(?:COMPANY CONFORMED NAME:|<CONFORMED-NAME>)[ \t]*(.+)", re.I)
_CIK = re.compile(r"(?:CENTRAL INDEX KEY:|<CIK>)[ \t]*(\d{1,10})", re.I)
_FIELDS = {
    "accession": re.compile(r"(?:ACCESSION NUMBER:|<ACCESSION-NUMBER>)[ \t]*([\d-]+)", re.I),
    "form": re.compile(r"(?:CONFORMED SUBMISSION TYPE:|<TYPE>)[ \t]*(\S[^\n]*?)[ \t]*$", re.I | re.M),
    "period": re.compile(r"(?:CONFORMED PERIOD OF REPORT:|<PERIOD>)[ \t]*(\d{8})", re.I),
    "filed": re.compile(r"(?:FILED AS OF DATE:|<FILING-DATE>)[ \t]*(\d{8})", re.I),
}
_BINARY_TYPES = re.compile(r"^(GRAPHIC|ZIP|PDF|EXCEL|XML|JSON|EX-101)", re.I)


@dataclass(frozen=True)
class Party:
    """One company named in a submission header, with its role (``filer``, ``subject company``...)."""

    role: str
    name: str
    cik: int | None


@dataclass(frozen=True)
class Document:
    """One ``<DOCUMENT>`` of a submission."""

    type: str
    sequence: int | None
    filename: str
    description: str
    text: str

    @property
    def binary(self) -> bool:
        """Graphics, PDFs and archives: uuencoded, nothing to read."""
        return bool(_BINARY_TYPES.match(self.type)) or self.text.lstrip().startswith("begin 6")


@dataclass(frozen=True)
class Submission:
    """A submission's header and its documents."""

    accession: str | None
    form: str | None
    period: str | None
    filed: str | None
    parties: tuple[Party, ...] = ()
    documents: tuple[Document, ...] = field(default=())

    def party(self, *roles: str) -> Party | None:
        """The first party with one of ``roles`` (in the order given), else the first party of all."""
        for role in roles:
            for party in self.parties:
                if party.role == role:
                    return party
        return self.parties[0] if self.parties else None

    def primary(self, form: str | None = None) -> Document | None:
        """The document to parse: the one whose type is ``form`` (the submission's own form by default),
        else the first that is not an exhibit or a binary file."""
        wanted = (form or self.form or "").upper()
        readable = [d for d in self.documents if not d.binary]
        for document in readable:
            if document.type.upper() == wanted:
                return document
        for document in readable:
            if not document.type.upper().startswith("EX-"):
                return document
        return readable[0] if readable else None


def is_submission(raw: str) -> bool:
    """Whether ``raw`` is an SGML submission (or its header alone) rather than a bare document."""
    head = raw[:4000].lstrip()
    return head.startswith(("<SEC-DOCUMENT>", "<SEC-HEADER>", "<IMS-DOCUMENT>", "<IMS-HEADER>")) or (
        "<DOCUMENT>" in head and bool(re.search(r"^<TYPE>", head, re.M))
    )


def _iso(date: str | None) -> str | None:
    return f"{date[:4]}-{date[4:6]}-{date[6:8]}" if date else None


def _parties(header: str) -> tuple[Party, ...]:
    marks = list(_PARTY.finditer(header))
    parties = []
    for n, mark in enumerate(marks):
        block = header[mark.end(): marks[n + 1].start() if n + 1 < len(marks) else len(header)]
        name, cik = _NAME.search(block), _CIK.search(block)
        if name:
            role = re.sub(r"[ -]+", " ", mark.group(1).lower())
            parties.append(Party(role, name.group(1).strip(), int(cik.group(1)) if cik else None))
    if not parties and (name := _NAME.search(header)):
        cik = _CIK.search(header)
        parties.append(Party("filer", name.group(1).strip(), int(cik.group(1)) if cik else None))
    return tuple(parties)


def parse_submission(raw: str) -> Submission:
    """The header and documents of a full submission (documents may be absent: a header file).

    :param raw: the submission text as downloaded
    """
    first_document = re.search(r"<DOCUMENT>", raw, re.I)
    header = raw[: first_document.start()] if first_document else raw[:200_000]
    found = {name: pattern.search(header) for name, pattern in _FIELDS.items()}
    documents = []
    for block in _DOCUMENT.finditer(raw):
        # Tags of a document come before its <TEXT>; searching only there keeps a "<TYPE>" inside the body
        # (an embedded submission) from being read as this document's type.
        body = block.group(1)
        text_at = re.search(r"<TEXT>", body, re.I)
        tags = {m.group(1).upper(): m.group(2) for m in _TAG.finditer(body[: text_at.start() if text_at else 2000])}
        text = _TEXT.search(body)
        sequence = tags.get("SEQUENCE", "")
        documents.append(Document(
            type=tags.get("TYPE", ""), sequence=int(sequence) if sequence.isdigit() else None,
            filename=tags.get("FILENAME", ""), description=tags.get("DESCRIPTION", ""),
            text=text.group(1) if text else "",
        ))
    form = found["form"].group(1).strip() if found["form"] else None
    if form is None and documents:
        form = documents[0].type or None
    return Submission(
        accession=found["accession"].group(1) if found["accession"] else None,
        form=form,
        period=_iso(found["period"].group(1) if found["period"] else None),
        filed=_iso(found["filed"].group(1) if found["filed"] else None),
        parties=_parties(header),
        documents=tuple(documents),
    )
