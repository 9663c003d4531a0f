"""The project's own labelled training data (``nlp/data/*.jsonl``) and its fixed split.

Each example is assigned to ``train`` or ``valid`` by a hash of its id, so the split never changes when
examples are added elsewhere, and an example never moves between sides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from store import LABELS

DATA_DIR = Path(__file__).parent / "data"
# Cross-validation folds: (fit indices, held-out indices) pairs.
Splits = list[tuple[np.ndarray, np.ndarray]]
# Share of examples held out for validation (reported, never fitted on).
VALID_PERCENT = 15
UNSURE_TARGET = 0.5


@dataclass(frozen=True)
class Example:
    """One labelled passage."""

    id: str
    register: str
    title: str
    text: str
    labels: dict[str, int]
    # Labels the conventions call a toss-up for this line (``"unsure"`` in the file, as in the rubric's
    # own output format): trained and measured as a target of 0.5, whatever the 0/1 value says.
    unsure: frozenset[str] = frozenset()
    # The data file it came from (its stem): one writer and one brief, so cross-validation keeps a file's
    # lines together (:func:`cross_validation_folds`).
    source: str = ""
    # For a long passage, per positive label, the sentences that carry it (``"carriers"`` in the file,
    # copied from the title or text): training reads such a passage as the tagger does, window by window,
    # and only the windows holding a carrier are positives (:func:`nlp.train.reading_units`).
    carriers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def target(self, label: str) -> float:
        """What training aims at for ``label``: the 0/1 label, or 0.5 when it is marked unsure."""
        return UNSURE_TARGET if label in self.unsure else float(self.labels[label])

    @property
    def passage(self) -> str:
        """Title and text as the classifier reads them."""
        return join_passage(self.title, self.text)


def join_passage(title: str, text: str) -> str:
    """How a title and its text are put together for the encoder."""
    title, text = title.strip(), text.strip()
    if title and text:
        return f"{title}. {text}" if title[-1] not in ".!?:" else f"{title} {text}"
    return title or text


def split_of(example_id: str) -> str:
    """``train`` or ``valid``, fixed by the id."""
    bucket = int(hashlib.sha256(example_id.encode()).hexdigest()[:8], 16) % 100
    return "valid" if bucket < VALID_PERCENT else "train"


def load_examples(folder: Path = DATA_DIR) -> list[Example]:
    """Every example in ``folder/*.jsonl``, sorted by id. Ids are unique across files: the split and the
    folds follow the id, so two lines under one id would silently share a fate."""
    examples = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                if row["id"] in seen:
                    raise ValueError(f"{path}:{number}: id {row['id']} is already used in {seen[row['id']]}; "
                                     "give the line an id of its own")
                seen[row["id"]] = path.name
                unsure = frozenset(row.get("unsure", []))
                if not unsure <= set(LABELS):
                    raise ValueError(f"{path}:{number}: unsure names {sorted(unsure - set(LABELS))}, not labels")
                example = Example(
                    id=row["id"], register=row.get("register", ""), title=row.get("title", ""),
                    text=row.get("text", ""), labels={label: int(row[label]) for label in LABELS},
                    unsure=unsure, source=path.stem,
                    carriers={k: tuple(v) for k, v in row.get("carriers", {}).items() if v},
                )
                if "carriers" in row:
                    check_carriers(example, f"{path}:{number}")
                examples.append(example)
            except KeyError as exc:
                raise ValueError(f"{path}:{number}: missing field {exc}") from exc
    return sorted(examples, key=lambda e: e.id)


def check_carriers(example: Example, where: str) -> None:
    """A line that marks carriers marks them for every positive label and only for those, each copied
    exactly from its title or text: a carrier that is not found, or a positive label with none, would
    silently teach every window of the passage as a negative.

    :raises ValueError: naming ``where`` and the fix
    """
    if unknown := set(example.carriers) - set(LABELS):
        raise ValueError(f"{where}: carriers name {sorted(unknown)}, not labels")
    for label in LABELS:
        found = example.carriers.get(label, ())
        if example.labels[label] and not found:
            raise ValueError(f"{where}: {label} is 1 but no sentence carries it; list them under carriers")
        if found and not example.labels[label]:
            raise ValueError(f"{where}: {label} is 0 but carriers list sentences for it; empty that list")
        for sentence in found:
            if sentence not in example.title and sentence not in example.text:
                raise ValueError(f"{where}: carrier {sentence[:60]!r} is not in the title or text; "
                                 "copy it exactly")


def cross_validation_folds(y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> Splits:
    """Cross-validation folds over the training pool for targets ``y``, balanced on target >= 0.5.

    Each group (a data file, :attr:`Example.source`: one writer, one brief, one register mix) stays whole
    inside one fold, so a held-out passage is judged by a model that never saw its siblings. Random folds
    measured the project's writers against themselves: the neighbour vote and the calibration learned to
    trust near-copies of a passage, and thresholds chosen on them promised precision that real text did
    not keep. With fewer groups than folds (a small data folder) the folds are plain stratified ones.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    strata = (y >= 0.5).astype(int)
    if len(set(groups.tolist())) < folds:
        return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(strata, strata))
    return list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(strata, strata, groups))
