"""Feature extraction: normalized text → word TF-IDF + character n-gram TF-IDF + lexicon signals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexicon import sentence_bounds
from .normalize import NormalizedText, normalize
from .signals import Signal, analyze, lexicon_feature_names, lexicon_features
from .tokenizer import JapaneseTokenizer

__all__ = ["JobRiskFeatures"]


class JobRiskFeatures(TransformerMixin, BaseEstimator):
    """Turn raw texts into one sparse matrix.

    Columns: word uni/bi-grams from :class:`JapaneseTokenizer` on normalized text; character
    n-grams on normalized text; character n-grams of the *channel context* (the sentences that
    name a channel or show contact data, so that 「LINEで連絡ください」 and 「LINEは使いません」 are
    told apart without the rest of a long posting diluting them); and the lexicon signals of
    :mod:`jobrisk.signals` (scaled by ``lexicon_weight``). Texts are normalized once per call.
    """

    _PARTS = ("word_", "char_", "context_")

    def __init__(
        self,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 4),
        context_ngram_range: tuple[int, int] = (1, 4),
        min_df: int = 2,
        max_features: int = 200_000,
        lexicon_weight: float = 0.5,
        context_weight: float = 2.0,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.context_ngram_range = context_ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.lexicon_weight = lexicon_weight
        self.context_weight = context_weight

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
        common = {"lowercase": False, "min_df": self.min_df, "max_features": self.max_features,
                  "sublinear_tf": True, "dtype": np.float32}
        word = TfidfVectorizer(
            tokenizer=JapaneseTokenizer(), token_pattern=None,
            ngram_range=tuple(self.word_ngram_range), **common,
        )
        char = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngram_range), **common)
        context = TfidfVectorizer(
            analyzer="char", ngram_range=tuple(self.context_ngram_range), **common
        )
        return word, char, context

    def fit(self, texts: Sequence[str], y: object = None) -> JobRiskFeatures:
        """Learn vocabularies and IDF weights from ``texts``."""
        del y
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str], y: object = None, **_: object) -> sp.csr_matrix:
        """Fit and return the feature matrix of ``texts``."""
        del y
        self.word_, self.char_, self.context_ = self._vectorizers()
        return self._matrix(_normalized(texts), fit=True)

    def transform(self, texts: Sequence[str | NormalizedText]) -> sp.csr_matrix:
        """The feature matrix of ``texts`` (raw strings or already normalized texts)."""
        return self._matrix(_normalized(texts), fit=False)

    def _matrix(self, norms: list[NormalizedText], fit: bool) -> sp.csr_matrix:
        plain = [n.text for n in norms]
        signals = [analyze(n) for n in norms]
        context = [_context(n.text, s) for n, s in zip(norms, signals, strict=True)]
        blocks = []
        for vec, docs in ((self.word_, plain), (self.char_, plain), (self.context_, context)):
            blocks.append(vec.fit_transform(docs) if fit else vec.transform(docs))
        blocks[2] = blocks[2] * self.context_weight
        width = len(lexicon_feature_names())
        rows = [lexicon_features(n, s) for n, s in zip(norms, signals, strict=True)]
        lex = np.vstack(rows) if rows else np.zeros((0, width))
        blocks.append(sp.csr_matrix(lex * self.lexicon_weight, dtype=np.float32))
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    # A fitted vectorizer's vocabulary is a dict of hundreds of thousands of terms; stored as
    # is, skops writes one archive member per entry. Keep each vocabulary as one JSON string and
    # the IDF weights as one array instead, and rebuild the vectorizers on load.
    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in self._PARTS}
        for name in self._PARTS:
            vec = self.__dict__.get(name)
            if vec is not None:
                terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
                state[name + "terms"] = json.dumps(terms, ensure_ascii=False)
                state[name + "idf"] = np.asarray(vec.idf_, dtype=np.float64)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        stored = {n: (state.pop(n + "terms", None), state.pop(n + "idf", None))
                  for n in self._PARTS}
        self.__dict__.update(state)
        for name, vec in zip(self._PARTS, self._vectorizers(), strict=True):
            terms, idf = stored[name]
            if terms is None:
                continue
            vec.vocabulary_ = {t: i for i, t in enumerate(json.loads(terms))}
            vec.fixed_vocabulary_ = False
            vec.idf_ = idf
            setattr(self, name, vec)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of all columns: ``word:…``, ``char:…``, ``ctx:…``, ``lex:…``."""
        del input_features
        names = [f"word:{w}" for w in self.word_.get_feature_names_out()]
        names += [f"char:{c}" for c in self.char_.get_feature_names_out()]
        names += [f"ctx:{c}" for c in self.context_.get_feature_names_out()]
        names += lexicon_feature_names()
        return np.asarray(names, dtype=object)


def _context(text: str, signals: list[Signal]) -> str:
    """The sentences of ``text`` that hold a signal, joined by line breaks ("" when none)."""
    if not signals:
        return ""
    bounds = sentence_bounds(text)
    picked: list[tuple[int, int]] = []
    for s in signals:
        for b in bounds:
            if b[0] <= s.start < b[1] and b not in picked:
                picked.append(b)
                break
    return "\n".join(text[a:b] for a, b in picked)


def _normalized(texts: Sequence[str | NormalizedText]) -> list[NormalizedText]:
    return [t if isinstance(t, NormalizedText) else normalize(t) for t in texts]
