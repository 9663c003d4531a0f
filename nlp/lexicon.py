"""Loading the lexicon data files: topic cues (``cues.toml``) and entity patterns (``entities.jsonl``)."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Cue:
    """A weighted regular expression that suggests a label."""

    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """Everything the lexicon components need, read once per process."""

    fr_cues: tuple[Cue, ...]
    fr_blockers: tuple[re.Pattern[str], ...]
    le_agencies: tuple[Cue, ...]
    le_technology: re.Pattern[str]
    cr_cues: tuple[Cue, ...]
    entity_patterns: tuple[dict[str, Any], ...]


class LexiconError(Exception):
    """A lexicon file is missing or malformed."""


def _regex(expr: str) -> re.Pattern[str]:
    # Acronyms written in capitals (ICE, FBI, LFR) match case-sensitively so "ice" or "fbi" in lower
    # case prose do not count; everything else ignores case.
    flags = 0 if re.fullmatch(r"[A-Z]{2,5}", expr) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){expr}(?![\w])", flags)


def _cues(rows: list[list[Any]]) -> tuple[Cue, ...]:
    return tuple(Cue(_regex(str(expr)), float(weight)) for expr, weight in rows)


def load_lexicon(folder: Path) -> Lexicon:
    """Read ``cues.toml`` and ``entities.jsonl`` from ``folder``.

    :raises LexiconError: naming the file and what is wrong
    """
    cues_path, entities_path = folder / "cues.toml", folder / "entities.jsonl"
    try:
        cues = tomllib.loads(cues_path.read_text(encoding="utf-8"))
        fr, le, cr = cues["facial_recognition"], cues["law_enforcement"], cues["civil_rights"]
        technology = "|".join(f"(?:{t})" for t in le["technology"])
        lexicon = Lexicon(
            fr_cues=_cues(fr["cues"]),
            fr_blockers=tuple(_regex(b) for b in fr.get("blockers", [])),
            le_agencies=_cues(le["agencies"]),
            le_technology=re.compile(rf"(?<![\w-])(?:{technology})(?![\w])", re.IGNORECASE),
            cr_cues=_cues(cr["cues"]),
            entity_patterns=tuple(
                json.loads(line)
                for line in entities_path.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ),
        )
    except (OSError, KeyError, ValueError, re.error, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"lexicon in {folder} is unusable: {exc!r}; fix cues.toml / entities.jsonl") from exc
    return lexicon


def lexicon_version(folder: Path) -> str:
    """A short hash of the lexicon files; heads trained on lexical features record it."""
    import hashlib

    digest = hashlib.sha256()
    for name in ("cues.toml", "entities.jsonl"):
        digest.update((folder / name).read_bytes())
    return "lexicon-" + digest.hexdigest()[:12]
