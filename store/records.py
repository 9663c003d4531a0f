"""Records that cross into the store: documents from the crawler, taggings from the NLP stage.

They are frozen dataclasses so neither side can mutate what the other holds, and the store never
imports the crawler or the NLP packages (imports point down, see DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["news", "blog", "filing"]
LABELS: tuple[str, ...] = ("facial_recognition", "law_enforcement", "civil_rights")


@dataclass(frozen=True)
class FilingFacts:
    """What EDGAR says about a filing, beside its text."""

    cik: int
    company: str
    form: str
    accession: str
    filed: str | None = None
    period: str | None = None
    items: str | None = None


@dataclass(frozen=True)
class Document:
    """One fetched and extracted page, as the crawler hands it to the store."""

    url: str
    canonical_url: str
    source_id: str
    kind: Kind
    title: str
    text: str
    fetched: str
    author: str | None = None
    published: str | None = None
    language: str | None = None
    html_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    categories: tuple[str, ...] = ()
    filing: FilingFacts | None = None
    minhash: bytes | None = None
    minhash_bands: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class StoredDocument:
    """A document as read back for tagging."""

    id: int
    title: str
    text: str
    kind: str
    content_sha256: str


@dataclass(frozen=True)
class Mention:
    """A tagged document above its label's threshold, with its best evidence, for digests and search."""

    document_id: int
    label: str
    score: float
    title: str
    url: str
    source_id: str
    kind: str
    published: str | None
    first_seen: str
    evidence: str | None
    matched_terms: tuple[str, ...] = ()
    cluster_id: int | None = None
    form: str | None = None  # filings only
    company: str | None = None  # filings only


@dataclass(frozen=True)
class Evidence:
    """A sentence that supports a label, with its offsets in ``title + "\\n\\n" + text``."""

    sentence: str
    score: float
    start: int
    end: int
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A named agency, vendor, product, place or person found in a document."""

    kind: str
    text: str
    normalized: str
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    """Who does what with face recognition, as stated in one sentence."""

    vendor: str | None
    product: str | None
    agency: str | None
    action: str
    sentence: str


@dataclass(frozen=True)
class LabelResult:
    """One label's score, decision and evidence for a document."""

    score: float
    decision: bool
    threshold: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ThresholdMeasure:
    """A decision threshold a model version decides at, and the error rates measured for it on the
    project's held-out data (None where nothing was measured: the keyword baseline's threshold)."""

    label: str
    threshold_set: str
    value: float
    in_use: bool
    cv_precision: float | None = None
    cv_recall: float | None = None
    valid_precision: float | None = None
    valid_recall: float | None = None


@dataclass(frozen=True)
class Tagging:
    """The NLP stage's verdict on one document."""

    labels: dict[str, LabelResult]
    model_version: str
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = field(default_factory=tuple)
