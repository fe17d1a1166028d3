"""Feature extraction: normalized text → word TF-IDF + character n-gram TF-IDF + lexicon signals."""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexicon import HANDLE_VALUE, MAY_NAME_PLATFORM, PLATFORM_URL_RE, SERVICE_NAME_RE
from .normalize import NormalizedText, normalize_batch
from .signals import Signal, analyze, lexicon_feature_names, lexicon_matrix
from .tokenizer import JapaneseTokenizer

__all__ = ["JobRiskFeatures", "fast_transform"]


class JobRiskFeatures(TransformerMixin, BaseEstimator):
    """Turn raw texts into one sparse matrix.

    Columns: words from :class:`JapaneseTokenizer` on normalized text; character n-grams of the
    *channel context* (the sentences that name a channel or show contact data, so that
    「LINEで連絡ください」 and 「LINEは使いません」 are told apart without the rest of a long posting
    diluting them); and the lexicon signals of :mod:`jobrisk.signals` (scaled by
    ``lexicon_weight``). ``word_ngram_range=(1, 2)`` adds word bigrams and ``char_ngram_range``
    character n-grams of the whole normalized text: both off by default, since they measured no
    better and cost scoring time (benchmarks/README.md); models trained with them keep them.
    With ``mask_contacts`` (default), the word and context views see a placeholder (``xurlx``,
    ``xemailx``, ``xphonex``, ``xidx``) instead of each piece of contact data, so that no model
    learns the spelling of particular addresses or IDs (the lexicon features say what kind of
    contact data a text shows), and Latin runs holding the corpus's fictitious-data words
    (``sample_tomoka``) are left out; models trained before it read the data as written.
    With ``mask_channels`` (default), the context view also reads ``xappx`` for each app or service
    named (LINE, Discord, Zoom ...): it learns what a sentence does with a channel, not which
    channel (the lexicon features say which); models trained before it read the names.
    Texts are normalized once per call.
    """

    _PARTS = ("word_", "char_", "context_")

    def __init__(
        self,
        word_ngram_range: tuple[int, int] = (1, 1),
        char_ngram_range: tuple[int, int] | None = None,
        context_ngram_range: tuple[int, int] = (1, 4),
        min_df: int = 2,
        max_features: int = 200_000,
        lexicon_weight: float = 0.5,
        context_weight: float = 2.0,
        mask_contacts: bool = True,
        mask_channels: bool = True,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.context_ngram_range = context_ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.lexicon_weight = lexicon_weight
        self.context_weight = context_weight
        self.mask_contacts = mask_contacts
        self.mask_channels = mask_channels

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer | None, TfidfVectorizer]:
        common = {"lowercase": False, "min_df": self.min_df, "max_features": self.max_features,
                  "sublinear_tf": True, "dtype": np.float32}
        word = TfidfVectorizer(
            tokenizer=JapaneseTokenizer(), token_pattern=None,
            ngram_range=tuple(self.word_ngram_range), **common,
        )
        char = None
        if self.char_ngram_range is not None:
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
        signals = [analyze(n) for n in norms]
        mask = self.mask_contacts
        names = self.mask_channels
        plain = [_masked(n.text, s) if mask else n.text for n, s in zip(norms, signals, strict=True)]
        context = [_context(n.text, s, mask, names) for n, s in zip(norms, signals, strict=True)]
        blocks = []
        for vec, docs, weight in (
            (self.word_, plain, 1.0),
            (getattr(self, "char_", None), plain, 1.0),  # None: no whole-text character view
            (self.context_, context, self.context_weight),
        ):
            if vec is not None:
                block = vec.fit_transform(docs) if fit else fast_transform(vec, docs)
                blocks.append(block * weight if weight != 1.0 else block)
        width = len(lexicon_feature_names())
        if fit:
            self.n_lexicon_ = width
        elif getattr(self, "n_lexicon_", width) != width:
            raise ValueError(
                f"this model was trained with {self.n_lexicon_} lexicon features but this jobrisk "
                f"computes {width}: retrain it with `jobrisk train` or install the jobrisk version "
                "it was trained with"
            )
        lex = lexicon_matrix(norms, signals)
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
        state.setdefault("mask_contacts", False)  # models saved before it read contact data as written
        state.setdefault("mask_channels", False)  # and the names of apps and services
        self.__dict__.update(state)
        for name, vec in zip(self._PARTS, self._vectorizers(), strict=True):
            terms, idf = stored[name]
            if terms is None or vec is None:
                continue
            vec.vocabulary_ = {t: i for i, t in enumerate(json.loads(terms))}
            vec.fixed_vocabulary_ = False
            vec.idf_ = idf
            setattr(self, name, vec)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of all columns: ``word:…``, ``char:…``, ``ctx:…``, ``lex:…``."""
        del input_features
        names = [f"word:{w}" for w in self.word_.get_feature_names_out()]
        if getattr(self, "char_", None) is not None:
            names += [f"char:{c}" for c in self.char_.get_feature_names_out()]
        names += [f"ctx:{c}" for c in self.context_.get_feature_names_out()]
        names += lexicon_feature_names()
        return np.asarray(names, dtype=object)


def _context(text: str, signals: list[Signal], mask: bool = False, names: bool = False) -> str:
    """The sentences of ``text`` that hold a signal, joined by line breaks ("" when none); with
    ``mask``, contact data in them replaced by placeholders, and with ``names`` also the names of
    apps and services."""
    if not signals:
        return ""
    picked = dict.fromkeys((s.sentence_start, s.sentence_end) for s in signals)  # in text order
    if mask:
        return "\n".join(_masked(text, signals, a, b, names) for a, b in picked)
    return "\n".join(text[a:b] for a, b in picked)


_HANDLE_VALUE = re.compile(HANDLE_VALUE + "$")  # the ID at the end of a handle match
_PLACEHOLDERS = {"email": " xemailx ", "url": " xurlx ", "phone": " xphonex ", "handle": " xidx "}


# The corpus spells every fictitious ID with example / sample / dummy (its writing rules); an ID
# that no contact pattern catches (given without a label, or split in two) would teach the word
# views those words. Latin runs holding them are dropped, as a real ID, seen once, never makes it
# into a vocabulary. (Masking every ID-shaped run instead flagged Python3 or Node.js postings.)
_LATIN_RUN = re.compile(r"[a-z0-9](?<![a-z0-9_.-][a-z0-9])[a-z0-9_.-]*")  # class first: fast scan
_MAY_HOLD_MARKER = re.compile(r"example|sample|dummy").search


def _without_marker(m: re.Match[str]) -> str:
    return " " if _MAY_HOLD_MARKER(m.group(0)) else m.group(0)


def _masked(
    text: str, signals: list[Signal], start: int = 0, end: int | None = None, names: bool = False
) -> str:
    """``text[start:end]`` with each piece of contact data found in it replaced by a placeholder
    (with ``names``, each app or service named too), links to the platforms' own pages by
    another, and Latin runs holding the corpus's fictitious-data words dropped."""
    masked = _contacts_masked(text, signals, start, end, names)
    if "." in masked and MAY_NAME_PLATFORM(masked):  # links to the platform's own pages: no signal, a placeholder
        masked = PLATFORM_URL_RE.sub(_PLATFORM_PLACEHOLDER, masked)
    return _LATIN_RUN.sub(_without_marker, masked) if _MAY_HOLD_MARKER(masked) else masked


_PLATFORM_PLACEHOLDER = " xplatformx "
_NAME_PLACEHOLDER = " xappx "  # an app or service named in the channel context


def _contacts_masked(
    text: str, signals: list[Signal], start: int, end: int | None, names: bool = False
) -> str:
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s in signals:  # in text order; a hit inside one already replaced is skipped
        if s.start < pos or s.end > end:
            continue
        if names and not s.contact and SERVICE_NAME_RE.fullmatch(text, s.start, s.end):
            out += (text[pos : s.start], _NAME_PLACEHOLDER)
            pos = s.end
        elif s.contact:
            first = s.start
            if s.contact == "handle":  # keep the label of 「IDは example_kei」, replace the ID
                value = _HANDLE_VALUE.search(text, s.start, s.end)
                first = value.start() if value else s.start
            out += (text[pos:first], _PLACEHOLDERS[s.contact])
            pos = s.end
    if not out:
        return text[start:end]
    out.append(text[pos:end])
    return "".join(out)


def _normalized(texts: Sequence[str | NormalizedText]) -> list[NormalizedText]:
    raw = iter(normalize_batch([t for t in texts if not isinstance(t, NormalizedText)]))
    return [t if isinstance(t, NormalizedText) else next(raw) for t in texts]


# -- fast transform --------------------------------------------------------------------------
# ``TfidfVectorizer.transform`` counts n-grams in a Python loop. ``fast_transform`` builds the
# identical count matrix (same entries, sorted indices, dtype) faster and then applies the
# vectorizer's own TF-IDF step, so its result equals ``vec.transform(docs)``.


def fast_transform(vec: TfidfVectorizer, docs: Sequence[str]) -> sp.csr_matrix:
    """``vec.transform(docs)``, faster; vectorizer settings it does not cover fall back to it."""
    counts = None
    if _plain_settings(vec):
        if vec.analyzer == "char":
            counts = _char_counts(vec, docs)
        elif vec.analyzer == "word" and callable(vec.tokenizer):
            counts = _word_counts(vec, docs)
    if counts is None:
        return vec.transform(docs)
    return vec._tfidf.transform(counts, copy=False)


def _plain_settings(vec: TfidfVectorizer) -> bool:
    return (
        hasattr(vec, "_tfidf") and hasattr(vec, "vocabulary_") and vec.input == "content"
        and vec.preprocessor is None and not vec.lowercase and not vec.strip_accents
        and vec.stop_words is None and not vec.binary and hasattr(vec, "_white_spaces")
    )


def _count_matrix(
    rows: np.ndarray, cols: np.ndarray, n_docs: int, vec: TfidfVectorizer
) -> sp.csr_array:
    """Counts of (row, col) pairs as a canonical CSR matrix (duplicates summed, indices sorted):
    one sort of the pairs as single integer keys."""
    n_cols = len(vec.vocabulary_)
    key = rows.astype(np.int64) * n_cols + cols
    key.sort()
    first = np.ones(len(key), dtype=bool)  # the first of each run of equal keys
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(key))).astype(vec.dtype)
    unique = key[starts]
    row_of = unique // n_cols
    index = np.int32 if max(n_cols, len(unique)) < 2**31 else np.int64
    indptr = np.searchsorted(row_of, np.arange(n_docs + 1)).astype(index)
    columns = (unique - row_of * n_cols).astype(index)
    return sp.csr_array((counts, columns, indptr), shape=(n_docs, n_cols))


class _NgramIndex:
    """An n-gram vocabulary as integer keys, to count n-grams with numpy and pandas.

    Each unit (character or word) of the vocabulary gets an id (1..k; 0 for units outside it,
    which no vocabulary n-gram contains); an n-gram's key packs its ids, so equal keys mean equal
    n-grams. Subclasses say what the units of a term are and how to find the ids of texts.
    """

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int]) -> None:
        self.vocabulary = vocabulary
        self.lo, self.hi = ngram_range
        terms = list(vocabulary)
        alphabet = sorted({u for term in terms for u in self._units(term)})
        self.bits = max(1, len(alphabet).bit_length())
        self.usable = self.hi * self.bits <= 64 and len(alphabet) < 2**32
        if not self.usable:
            return
        self._index_alphabet(alphabet)
        self.keys = pd.Index(self._keys(terms))  # a hash table: unique keys, fast lookups
        self.usable = self.keys.is_unique
        self.cols = np.fromiter(map(vocabulary.__getitem__, terms), np.int64, len(terms))

    def _units(self, term: str) -> list[str] | str:
        raise NotImplementedError

    def _index_alphabet(self, alphabet: list[str]) -> None:
        raise NotImplementedError

    def _codes(self, texts: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Unit ids of the concatenated texts (uint64) and each text's length in units."""
        raise NotImplementedError

    def _pack(self, codes: np.ndarray, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Keys of the n-grams at ``starts`` and which of them have only known units."""
        key = np.zeros(len(starts), dtype=np.uint64)
        known = np.ones(len(starts), dtype=bool)
        for k in range(n):
            part = codes[starts + k]
            known &= part != 0
            key |= part << np.uint64(self.bits * (self.hi - 1 - k))
        return key, known

    def _keys(self, terms: list[str]) -> np.ndarray:
        codes, lengths = self._codes([self._units(t) for t in terms])
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        keys = np.zeros(len(terms), dtype=np.uint64)
        for n in np.unique(lengths):
            same = lengths == n
            keys[same] = self._pack(codes, starts[same], int(n))[0]
        return keys

    def count(self, docs: Sequence[Any], vec: TfidfVectorizer) -> sp.csr_array:
        """The count matrix of ``docs`` (each a sequence of units).

        The keys of the n-grams at every position of the concatenated docs grow one unit at a
        time (n-gram keys are the (n-1)-gram keys plus the next unit, packed as in ``_pack``), with
        slices instead of gathers; an n-gram counts when its units are all known and it ends inside
        its doc.
        """
        codes, lengths = self._codes(docs)
        total = len(codes)
        doc_of = np.repeat(np.arange(len(docs)), lengths)
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(total)  # units left in the doc
        key = np.zeros(total, dtype=np.uint64)
        known = np.ones(total, dtype=bool)
        rows, cols = [], []
        for n in range(1, self.hi + 1):
            part = codes[n - 1 :]  # the n-th unit of the n-gram at each position
            key = key[: len(part)] | (part << np.uint64(self.bits * (self.hi - n)))
            known = known[: len(part)] & (part != 0)
            if n < self.lo:
                continue
            at_start = np.flatnonzero(known & (room[: len(part)] >= n))
            at = self.keys.get_indexer(key[at_start])
            hit = at >= 0
            rows.append(doc_of[at_start[hit]])
            cols.append(self.cols[at[hit]])
        return _count_matrix(np.concatenate(rows), np.concatenate(cols), len(docs), vec)


class _CharIndex(_NgramIndex):
    """Character n-grams: ids by code point in a numpy table."""

    def _units(self, term: str) -> str:
        return term

    def _index_alphabet(self, alphabet: list[str]) -> None:
        dtype = np.uint16 if len(alphabet) < 2**16 else np.uint32
        self.ids = np.zeros(0x110000, dtype=dtype)  # character id by code point
        self.ids[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1, dtype=dtype)

    def _codes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        return self.ids[points].astype(np.uint64), lengths


class _WordIndex(_NgramIndex):
    """Word n-grams (sklearn joins the words of a term with a space): ids in a dict."""

    def _units(self, term: str) -> list[str]:
        return term.split(" ")

    def _index_alphabet(self, alphabet: list[str]) -> None:
        self.ids = {w: i for i, w in enumerate(alphabet, 1)}

    def _codes(self, texts: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        words = chain.from_iterable(texts)
        codes = np.fromiter(map(self.ids.get, words, repeat(0)), np.uint64, int(lengths.sum()))
        return codes, lengths


_INDEXES: weakref.WeakKeyDictionary[TfidfVectorizer, _NgramIndex] = weakref.WeakKeyDictionary()


def _index(vec: TfidfVectorizer, kind: type[_NgramIndex]) -> _NgramIndex | None:
    index = _INDEXES.get(vec)
    if index is None or index.vocabulary is not vec.vocabulary_:
        index = _INDEXES[vec] = kind(vec.vocabulary_, tuple(vec.ngram_range))
    return index if index.usable and vec.vocabulary_ else None


def _word_counts(vec: TfidfVectorizer, docs: Sequence[str]) -> sp.csr_array | None:
    if tuple(vec.ngram_range) == (1, 1) and vec.vocabulary_:  # single words: the vocabulary itself
        tokens = [vec.tokenizer(doc) for doc in docs]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        cols = np.fromiter(
            map(vec.vocabulary_.get, chain.from_iterable(tokens), repeat(-1)), np.int64, int(lengths.sum())
        )
        rows = np.repeat(np.arange(len(tokens)), lengths)
        known = cols >= 0
        return _count_matrix(rows[known], cols[known], len(tokens), vec)
    index = _index(vec, _WordIndex)
    if index is None:
        return None
    return index.count([vec.tokenizer(doc) for doc in docs], vec)


def _char_counts(vec: TfidfVectorizer, docs: Sequence[str]) -> sp.csr_array | None:
    index = _index(vec, _CharIndex)
    if index is None:
        return None
    collapse = vec._white_spaces.sub
    return index.count([collapse(" ", doc) for doc in docs], vec)
