"""Does the evidence point at the sentences that carry a label? Measured on the project's validation split.

The long documents of ``nlp/data`` mark, per positive label, the sentences that carry it (``carriers``,
``nlp/data/README.md``). The validation split's long documents are never trained on. For every
(document, label) that is positive and that the tagger decides positive, this reads the tagger's evidence
(best first) and counts:

- top-1: the first evidence sentence is a carrier (or a piece of one, or holds one);
- any: one of the evidence sentences shown (up to ``evidence_per_label``) is;
- shown: of all evidence sentences shown, how many are carriers.

A positive the tagger decided negative has no evidence to judge: positive documents minus decided ones.

Run: ``.venv/bin/python -m benchmarks.evidence [--write]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).parent


def is_carrier(sentence: str, carriers: tuple[str, ...]) -> bool:
    """Whether an evidence sentence is one of the carriers, a piece of one, or holds one (the splitters
    of the writer and the tagger may cut a quotation differently)."""
    from nlp.train import QUOTES

    found = sentence.strip(QUOTES)
    return any(found in c or c.strip(QUOTES) in found for c in carriers if len(found.split()) >= 3)


def measure() -> tuple[dict[str, dict[str, int]], str]:
    """Per label: positive and decided documents, top-1 and any-evidence hits, carriers among the sentences
    shown; and the model version."""
    from nlp import NlpSettings, Tagger
    from nlp.dataset import load_examples, split_of
    from store import LABELS

    docs = [e for e in load_examples() if e.carriers and split_of(e.id) == "valid"]
    tagger = Tagger(NlpSettings())
    results = tagger.tag_many([(e.title, e.text) for e in docs])
    out = {label: {"positive": 0, "decided": 0, "top1": 0, "any": 0, "shown": 0, "shown_carriers": 0}
           for label in LABELS}
    for example, tagging in zip(docs, results, strict=True):
        for label in LABELS:
            if not example.labels[label]:
                continue
            counts, result = out[label], tagging.labels[label]
            counts["positive"] += 1
            if not result.decision:
                continue
            counts["decided"] += 1
            hits = [is_carrier(e.sentence, example.carriers[label]) for e in result.evidence]
            counts["top1"] += int(bool(hits) and hits[0])
            counts["any"] += int(any(hits))
            counts["shown"] += len(hits)
            counts["shown_carriers"] += sum(hits)
    return out, tagger.model_version


def _share(n: int, of: int) -> str:
    return f"{n} ({n / of:.0%})" if of else str(n)


def table(results: dict[str, dict[str, int]]) -> str:
    rows = ["| label | positive documents | decided positive | top-1 evidence is a carrier | any evidence is | "
            "evidence sentences shown that are carriers |", "|---|---|---|---|---|---|"]
    for label, c in results.items():
        rows.append(f"| {label} | {c['positive']} | {c['decided']} | {_share(c['top1'], c['decided'])} | "
                    f"{_share(c['any'], c['decided'])} | {c['shown_carriers']} of {c['shown']} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the evidence section of benchmarks/README.md")
    args = parser.parse_args()
    results, version = measure()
    text = f"Model `{version}`, {results['civil_rights']['positive']} civil-rights positives.\n\n" + table(results)
    print(text)
    if args.write:
        readme = HERE / "README.md"
        start, end = "<!-- evidence:start -->", "<!-- evidence:end -->"
        body = readme.read_text(encoding="utf-8")
        block = f"{start}\n{text}\n{end}"
        if start in body:
            body = body[: body.index(start)] + block + body[body.index(end) + len(end):]
        else:
            body = body.rstrip("\n") + "\n\n## Evidence on the sentences that carry a label\n\n" + \
                "`.venv/bin/python -m benchmarks.evidence --write`: the validation split's long documents " \
                "with carrier sentences marked (never trained on), tagged as configured. A positive decided " \
                "negative has no evidence to judge (positive documents minus decided positive).\n\n" + block + "\n"
        readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
