"""Feature extraction: normalized text → word TF-IDF + character n-gram TF-IDF + lexicon signals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .normalize import NormalizedText, normalize
from .signals import analyze, lexicon_feature_names, lexicon_features
from .tokenizer import JapaneseTokenizer

__all__ = ["JobRiskFeatures"]


class JobRiskFeatures(TransformerMixin, BaseEstimator):
    """Turn raw texts into one sparse matrix.

    Columns: word uni/bi-grams from :class:`JapaneseTokenizer` on normalized text, character
    n-grams on normalized text, and the lexicon signals of :mod:`jobrisk.signals` (scaled by
    ``lexicon_weight``). Texts are normalized once per call.
    """

    def __init__(
        self,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 4),
        min_df: int = 2,
        max_features: int = 200_000,
        lexicon_weight: float = 0.5,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.lexicon_weight = lexicon_weight

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer]:
        word = TfidfVectorizer(
            tokenizer=JapaneseTokenizer(),
            token_pattern=None,
            lowercase=False,
            ngram_range=tuple(self.word_ngram_range),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        char = TfidfVectorizer(
            analyzer="char",
            lowercase=False,
            ngram_range=tuple(self.char_ngram_range),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        return word, char

    def fit(self, texts: Sequence[str], y: object = None) -> JobRiskFeatures:
        """Learn vocabularies and IDF weights from ``texts``."""
        del y
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str], y: object = None, **_: object) -> sp.csr_matrix:
        """Fit and return the feature matrix of ``texts``."""
        del y
        norms = _normalized(texts)
        plain = [n.text for n in norms]
        self.word_, self.char_ = self._vectorizers()
        word = self.word_.fit_transform(plain)
        char = self.char_.fit_transform(plain)
        return sp.hstack([word, char, self._lexicon(norms)], format="csr", dtype=np.float32)

    def transform(self, texts: Sequence[str | NormalizedText]) -> sp.csr_matrix:
        """The feature matrix of ``texts`` (raw strings or already normalized texts)."""
        norms = _normalized(texts)
        plain = [n.text for n in norms]
        return sp.hstack(
            [self.word_.transform(plain), self.char_.transform(plain), self._lexicon(norms)],
            format="csr",
            dtype=np.float32,
        )

    def _lexicon(self, norms: list[NormalizedText]) -> sp.csr_matrix:
        rows = [lexicon_features(n, analyze(n)) for n in norms]
        width = len(lexicon_feature_names())
        matrix = np.vstack(rows) if rows else np.zeros((0, width))
        return sp.csr_matrix(matrix * self.lexicon_weight, dtype=np.float32)

    # A fitted vectorizer's vocabulary is a dict of hundreds of thousands of terms; stored as
    # is, skops writes one archive member per entry. Keep each vocabulary as one JSON string and
    # the IDF weights as one array instead, and rebuild the vectorizers on load.
    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("word_", "char_")}
        for name in ("word_", "char_"):
            vec = self.__dict__.get(name)
            if vec is not None:
                terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
                state[name + "terms"] = json.dumps(terms, ensure_ascii=False)
                state[name + "idf"] = np.asarray(vec.idf_, dtype=np.float64)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        stored = {n: (state.pop(n + "terms", None), state.pop(n + "idf", None)) for n in ("word_", "char_")}
        self.__dict__.update(state)
        for name, vec in zip(("word_", "char_"), self._vectorizers()):
            terms, idf = stored[name]
            if terms is None:
                continue
            vec.vocabulary_ = {t: i for i, t in enumerate(json.loads(terms))}
            vec.fixed_vocabulary_ = False
            vec.idf_ = idf
            setattr(self, name, vec)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of all columns: ``word:…``, ``char:…``, ``lex:…``."""
        del input_features
        names = [f"word:{w}" for w in self.word_.get_feature_names_out()]
        names += [f"char:{c}" for c in self.char_.get_feature_names_out()]
        names += lexicon_feature_names()
        return np.asarray(names, dtype=object)


def _normalized(texts: Sequence[str | NormalizedText]) -> list[NormalizedText]:
    return [t if isinstance(t, NormalizedText) else normalize(t) for t in texts]
