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
    """A weighted regular expression that suggests a label.

    ``anchors``: case-folded strings of which every match contains at least one (empty when none could
    be worked out). Most text holds no cue at all, and a substring test is far cheaper than a regex
    search that tries every position, so :meth:`search` asks the anchors first.
    """

    pattern: re.Pattern[str]
    weight: float
    anchors: tuple[str, ...] = ()

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        """The first match in ``text``; ``folded`` is :func:`fold` of it, computed once by the caller."""
        if self.anchors and not any(anchor in folded for anchor in self.anchors):
            return None
        return self.pattern.search(text)


@dataclass(frozen=True)
class Lexicon:
    """Everything the lexicon components need, read once per process."""

    fr_cues: tuple[Cue, ...]
    fr_blockers: tuple[re.Pattern[str], ...]
    le_agencies: tuple[Cue, ...]
    le_technology: re.Pattern[str]
    cr_cues: tuple[Cue, ...]
    cr_other_reasons: tuple[re.Pattern[str], ...]
    entity_patterns: tuple[dict[str, Any], ...]


class LexiconError(Exception):
    """A lexicon file is missing or malformed."""


def fold(text: str) -> str:
    """``text`` case-folded for :meth:`Cue.search`'s anchors: ``casefold`` plus the one letter that
    ``re.IGNORECASE`` equates with an ASCII letter and ``casefold`` keeps apart (dotless ı with i)."""
    return text.casefold().replace("\u0131", "i")


def _regex(expr: str) -> re.Pattern[str]:
    # Acronyms written in capitals (ICE, FBI, LFR) match case-sensitively so "ice" or "fbi" in lower
    # case prose do not count; everything else ignores case.
    flags = 0 if re.fullmatch(r"[A-Z]{2,5}", expr) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){expr}(?![\w])", flags)


def _cues(rows: list[list[Any]]) -> tuple[Cue, ...]:
    cues = []
    for expr, weight in rows:
        pattern = _regex(str(expr))
        cues.append(Cue(pattern, float(weight), tuple(sorted(required_literals(pattern) or ()))))
    return tuple(cues)


def required_literals(pattern: re.Pattern[str]) -> set[str] | None:
    """Case-folded strings of which every match of ``pattern`` contains one, or None if none is known.

    Read from the parsed expression: a run of literal characters, a group, an alternation whose every
    branch has such strings, or a repeat of at least once. Of the candidates, the one whose shortest
    string is longest is kept (the most selective). Anything else (classes, assertions, optional parts)
    ends a run and gives no candidate, so the answer errs towards "search anyway", never towards a miss.
    """
    import re._constants as sre  # the parser's opcodes; stable since 3.11 (were sre_constants)
    import re._parser as parser

    def needed(items: Any) -> set[str] | None:
        candidates: list[set[str]] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                candidates.append({"".join(run).casefold()})
                run.clear()

        for op, arg in items:
            if op is sre.LITERAL:
                run.append(chr(arg))
                continue
            flush()
            found: set[str] | None = None
            if op is sre.SUBPATTERN:
                found = needed(arg[-1])
            elif op is sre.BRANCH:
                branches = [needed(branch) for branch in arg[1]]
                if all(b is not None for b in branches):
                    found = set().union(*(b for b in branches if b is not None))
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
                found = needed(arg[2])
            if found:
                candidates.append(found)
        flush()
        if not candidates:
            return None
        return max(candidates, key=lambda c: (min(len(x) for x in c), -len(c)))

    return needed(parser.parse(pattern.pattern, pattern.flags))


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
            cr_other_reasons=tuple(_regex(r) for r in cr.get("other_reasons", [])),
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
