"""The topic classifier: the MiniLM encoder with trained heads, scoring passages with calibrated
probabilities, and documents through windows of sentences.

A document is read as windows: the title with its lead (up to :data:`LEAD_WORDS` words), then the rest in
runs of whole sentences up to :data:`WINDOW_WORDS` words (the training passages are headlines, sentences
and excerpts of this size). A label's document probability is its best window's, its odds divided by the
number of windows to a power fitted in training (the best of many windows over-states a long document).
With the first pass on, a window with no lexicon cue at all skips the encoder and scores 0 (unless the
document's title and lead name face recognition), and so does a window that the window gate
(:mod:`nlp.gate`) turns away; a document of a single window is always encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.encoder import TokenStates, shared_encoder
from nlp.features import feature_matrix, has_cue
from nlp.gate import GATE_FILE, Gate, load_gate
from nlp.heads import Heads, HeadsError, load_heads
from nlp.lexicon import Lexicon, lexicon_version
from nlp.neighbours import NEIGHBOURS_FILE, NeighbourIndex, load_index, vote_log_odds
from nlp.neighbours import K as NEIGHBOURS_K
from store import LABELS

LEAD_WORDS = 80
WINDOW_WORDS = 60
# The first pass's rules: which windows reach the gate and the encoder. Raise it when they change: it is
# part of the tags' model version, so `frwatch tag` reads stored documents again (1: a window needs a cue;
# 2, session 9: the windows of a document whose title and lead name face recognition need none).
FIRST_PASS_RULES = 2


@dataclass(frozen=True)
class Window:
    """A run of sentences (indices into the document's sentence list) and its text."""

    first: int
    last: int
    text: str


def windows(sentences: list[str], title_count: int) -> list[Window]:
    """Group sentences into the windows described in the module docstring.

    :param sentences: the document's sentences in order, the title's first
    :param title_count: how many of them belong to the title (usually 1)
    """
    out: list[Window] = []
    start, words = 0, 0
    limit = LEAD_WORDS
    for i, sentence in enumerate(sentences):
        n = len(sentence.split())
        if i > start and (words + n > limit) and i >= title_count:
            out.append(Window(start, i - 1, " ".join(sentences[start:i])))
            start, words, limit = i, 0, WINDOW_WORDS
        words += n
    if start < len(sentences):
        out.append(Window(start, len(sentences) - 1, " ".join(sentences[start:])))
    return out


class TopicModel:
    """Calibrated per-label probabilities for passages."""

    def __init__(self, heads_file: Path, lexicon: Lexicon, lexicon_dir: Path, first_pass: bool = True) -> None:
        """:param first_pass: skip the encoder for windows without a cue or that the gate turns away; the
            gate is read from ``gate.json`` beside ``heads_file``"""
        self.heads: Heads = load_heads(heads_file)
        expected = lexicon_version(lexicon_dir)
        if self.heads.meta["lexicon"] != expected:
            raise HeadsError(
                f"classifier heads {heads_file} were trained with {self.heads.meta['lexicon']}, "
                f"not {expected}; run `frwatch train`"
            )
        self.lexicon = lexicon
        self.first_pass = first_pass
        self.encoder = shared_encoder()
        # The gate and the first pass's rules change which windows are read, so they are part of the tags'
        # model version.
        self.gate: Gate | None = load_gate(heads_file.with_name(GATE_FILE.name)) if first_pass else None
        self.version = self.heads.version + (
            f"+{self.gate.version}+first-pass-{FIRST_PASS_RULES}" if self.gate else "")
        # The nearest training passages' vote, when the heads were trained with one (its hash is in the heads).
        digest = self.heads.meta.get("neighbours_sha256")
        trained_k = self.heads.meta.get("neighbours_k")
        if digest and trained_k != NEIGHBOURS_K:
            raise HeadsError(f"classifier heads {heads_file} were calibrated with {trained_k} neighbours, this "
                             f"code asks {NEIGHBOURS_K}; run `frwatch train`")
        self.neighbours: NeighbourIndex | None = (
            load_index(heads_file.with_name(NEIGHBOURS_FILE.name), digest) if digest else None
        )
        self.encoded = 0
        self.skipped = 0

    def probabilities(self, passages: list[str], always: set[int] | None = None) -> np.ndarray:
        """``(len(passages), 3)`` calibrated probabilities in :data:`store.LABELS` order.

        :param always: indices encoded even when the first pass would skip them
        """
        return self._probabilities(passages, always, keep_tokens=False)[0]

    def probabilities_keeping_tokens(
        self, passages: list[str], always: set[int] | None = None, on_topic: set[int] | None = None,
        thresholds: np.ndarray | None = None,
    ) -> tuple[np.ndarray, dict[int, TokenStates]]:
        """:meth:`probabilities` of windows, and the token states of encoded ones, for
        :meth:`sentence_probabilities`.

        :param on_topic: indices of windows of a document about face recognition: they need no cue of their
            own to reach the gate
        :param thresholds: per label, the probability under which a window cannot make its document positive
            (a document scores at most its best window's probability): only windows reaching one for some
            label keep their states (all do when None); a batch's other states are dropped as it is encoded
        """
        return self._probabilities(passages, always, keep_tokens=True, on_topic=on_topic, thresholds=thresholds)

    def _probabilities(
        self, passages: list[str], always: set[int] | None, keep_tokens: bool, on_topic: set[int] | None = None,
        thresholds: np.ndarray | None = None,
    ) -> tuple[np.ndarray, dict[int, TokenStates]]:
        out = np.zeros((len(passages), len(LABELS)), dtype=np.float32)
        chosen = [
            i for i, p in enumerate(passages)
            if not self.first_pass or (always and i in always) or (on_topic and i in on_topic)
            or has_cue(self.lexicon, p)
        ]
        if self.first_pass and self.gate is not None and chosen:
            # The cue test is cheap and coarse ("police", "privacy", "camera" are everywhere); the gate reads
            # the whole window. Windows read unconditionally are kept whatever it says.
            cued = [i for i in chosen if not (always and i in always)]
            passed = self.gate.passes([passages[i] for i in cued])
            dropped = {i for i, ok in zip(cued, passed, strict=True) if not ok}
            chosen = [i for i in chosen if i not in dropped]
        self.encoded += len(chosen)
        self.skipped += len(passages) - len(chosen)
        tokens: dict[int, TokenStates] = {}
        if chosen:
            texts = [passages[i] for i in chosen]
            if keep_tokens:
                scored = np.zeros((len(texts), len(LABELS)), dtype=np.float32)

                def keep(rows: list[int], embeddings: np.ndarray) -> np.ndarray:
                    scored[rows] = self._score(embeddings, [texts[r] for r in rows])
                    if thresholds is None:
                        return np.ones(len(rows), dtype=bool)
                    return np.asarray((scored[rows] >= thresholds).any(axis=1))

                _, states = self.encoder.encode_keeping_tokens(texts, keep=keep)
                tokens = {chosen[r]: state for r, state in states.items()}
                out[chosen] = scored
            else:
                out[chosen] = self._score(self.encoder.encode(texts), texts)
        return out, tokens

    def sentence_probabilities(self, states: TokenStates, sentences: list[str]) -> np.ndarray:
        """``(len(sentences), 3)`` probabilities of the sentences of one encoded window, read in context.

        Each sentence's vector is the mean of its tokens' states from the window's own encoding (the
        window's text is its sentences joined by single spaces), so evidence costs no second encoder pass.
        A sentence with no lexicon cue scores 0: evidence is a sentence that says something on its own.
        A sentence cut off by the encoder's length limit is encoded alone.
        """
        hidden, offsets = states
        out = np.zeros((len(sentences), len(LABELS)), dtype=np.float32)
        vectors: dict[int, np.ndarray] = {}
        alone: list[int] = []
        start = 0
        for n, sentence in enumerate(sentences):
            end = start + len(sentence)
            if has_cue(self.lexicon, sentence):
                inside = (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
                if inside.any() and offsets[inside, 1].max() >= end - 1:
                    pooled = hidden[inside].mean(0)
                    vectors[n] = pooled / max(float(np.linalg.norm(pooled)), 1e-9)
                else:
                    alone.append(n)
            start = end + 1
        if alone:
            for n, vector in zip(alone, self.encoder.encode([sentences[n] for n in alone]), strict=True):
                vectors[n] = vector
        if vectors:
            rows = sorted(vectors)
            out[rows] = self._score(np.stack([vectors[n] for n in rows]), [sentences[n] for n in rows])
        return out

    def _score(self, embeddings: np.ndarray, texts: list[str]) -> np.ndarray:
        """``(len(texts), 3)`` calibrated probabilities of embedded texts."""
        features = feature_matrix(self.lexicon, embeddings, texts)
        votes = vote_log_odds(self.neighbours.votes(embeddings)) if self.neighbours is not None else None
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for j, label in enumerate(LABELS):
            out[:, j] = self.heads.heads[label].probability(features, None if votes is None else votes[:, j])
        return out

    def document_scores(self, window_probs: np.ndarray) -> np.ndarray:
        """``(3,)`` a document's probabilities from its windows' ``(n, 3)``: the best window's, corrected for
        how many windows competed (:meth:`nlp.heads.Head.document_probability`)."""
        if not len(window_probs):
            return np.zeros(len(LABELS))
        best = window_probs.max(0)
        return np.array([self.heads.heads[label].document_probability(best[j], len(window_probs))
                         for j, label in enumerate(LABELS)], dtype=np.float64)

    def threshold(self, label: str, threshold_set: str) -> float:
        """The decision threshold of ``label`` in the named set."""
        return self.heads.heads[label].thresholds[threshold_set].value
