"""The lexicon's literal anchors: a cheaper way to the same matches, never a missed one."""

from __future__ import annotations

import json
import re

import pytest

from nlp.dataset import DATA_DIR
from nlp.lexicon import Cue, fold, load_lexicon, required_literals
from nlp.settings import LEXICON_DIR


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("facial[- ]recognition", {"recognition"}),
        ("Clearview( AI)?", {"clearview"}),
        ("(SearchFaces|IndexFaces)", {"searchfaces", "indexfaces"}),
        ("(racial|ethnic) profiling", {" profiling"}),
        ("privacy (rights|violations?)", {"privacy "}),
        ("(face|facial) (ID)?", {"fac"}),  # the parser factors out the common prefix
        ("[a-z]+(ID)?", None),  # only a class and an optional part: no anchor, always searched
        ("[A-Z]+ ban", {" ban"}),
        ("(BIPA|Biometric Information Privacy Act)", {"ipa", "iometric information privacy act"}),
    ],
)
def test_required_literals(expr, expected):
    found = required_literals(re.compile(expr, re.IGNORECASE))
    assert found == expected


def test_anchored_search_finds_exactly_what_the_regex_finds():
    lexicon = load_lexicon(LEXICON_DIR)
    cues: list[Cue] = [*lexicon.fr_cues, *lexicon.le_agencies, *lexicon.cr_cues]
    texts = [
        "Facial recognıtion with a dotless i", "FACIAL RECOGNITION", "the ICE agents and the ice rink",
        "Straße and ſurveillance", "K\u212aelvin sign", "İstanbul police", "a rıghts group", "",
    ]
    for path in sorted(DATA_DIR.glob("*.jsonl"))[:3]:
        for line in path.read_text(encoding="utf-8").splitlines()[:300]:
            row = json.loads(line)
            texts += [row["title"], row["text"]]
    assert all(c.anchors for c in cues[:5]), "the face recognition cues have anchors"
    for text in texts:
        folded = fold(text)
        for cue in cues:
            plain, anchored = cue.pattern.search(text), cue.search(text, folded)
            assert (plain.span() if plain else None) == (anchored.span() if anchored else None), (cue, text)
