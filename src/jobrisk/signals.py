"""Solicitation signals: which channels a text points to, whether it asks, and where.

A *signal* is a channel mention or a piece of contact data together with what its sentence
does with it: asks the reader to act (``requested``), refuses or forbids it (``negated``).
Signals give the model its lexicon features and a prediction its ``channels`` and ``evidence``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .lexicon import (
    ACTION_RE,
    CHANNELS,
    DOCUMENT_URL_RE,
    EUPHEMISM_RE,
    NEGATION_RE,
    REFERENCE_RE,
    REQUEST_RE,
    TOPIC_RE,
    URL_RE,
    ChannelHit,
    find_channel_hits,
    sentence_bounds,
)
from .normalize import KATAKANA_NAMES, NormalizedText

__all__ = ["Signal", "analyze", "lexicon_feature_names", "lexicon_features", "lexicon_matrix"]

_PREDICATE_TAIL = re.compile(r"[^。、，,！？!?\n\s]{0,15}")
_MAX_EVIDENCE = 80
# A refusal counts for a mention when it starts at most this many characters after it (Japanese
# puts the negation after what it negates) or before it (「外部への誘導は禁止: LINE…」).
_NEGATION_AFTER = 30
_NEGATION_BEFORE = 20
_TOPIC_REACH = 12  # characters either side of a mention searched for a work subject


class Signal(NamedTuple):
    """One channel mention or contact datum in a normalized text (normalized offsets).

    A named tuple: a text yields several, and a frozen dataclass costs several times more to build.
    """

    channel: str
    start: int
    end: int
    contact: str  # "", "email", "phone", "url" or "handle"
    requested: bool
    negated: bool
    disguised: bool
    action: bool  # an act of contact follows the mention (LINEで連絡 / LINEを追加)
    topic: bool  # the channel is the subject of the work (LINE公式アカウントの運用)
    evidence_start: int
    evidence_end: int
    sentence_start: int  # the sentence that holds the mention
    sentence_end: int


def analyze(norm: NormalizedText) -> list[Signal]:
    """All signals of a normalized text, in text order.

    Pure, and a flagged text needs it twice (its features, then its channels and evidence): the
    result is kept on the text (``norm.analysis``).
    """
    found = norm.analysis
    if found is None:
        found = norm.analysis = tuple(_analyze(norm))
    return list(found)


def _analyze(norm: NormalizedText) -> list[Signal]:
    text = norm.text
    hits = find_channel_hits(text)
    if not hits:
        return []
    hits = _attribute_handles(hits)
    signals: list[Signal] = []
    bounds = sentence_bounds(text)
    b = 0
    cues_of: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}  # per sentence

    def cues_in(k: int) -> tuple[list[tuple[int, int]], list[int]]:
        """Request spans and refusal starts of sentence ``k`` (scanned once)."""
        if k not in cues_of:
            start, end = bounds[k] if bounds else (0, len(text))
            sentence = text[start:end]
            cues_of[k] = (
                [(m.start() + start, m.end() + start) for m in REQUEST_RE.finditer(sentence)],
                [m.start() + start for m in NEGATION_RE.finditer(sentence)],
            )
        return cues_of[k]

    for hit in hits:
        while b < len(bounds) - 1 and bounds[b][1] <= hit.start:
            b += 1
        s_start, s_end = bounds[b] if bounds else (0, len(text))
        requests, refusals = cues_in(b)
        cues = [c for c in requests if not (hit.start <= c[0] < hit.end)] if requests else requests
        # 「LINEグループを作りました。こちらから参加をお願いします」: the ask may come in the next sentence
        asked_next = not cues and not refusals and _next_sentence_asks(bounds, b, hits, cues_in)
        negated = bool(refusals) and any(
            -_NEGATION_BEFORE <= r - hit.end <= _NEGATION_AFTER for r in refusals
        )
        if hit.contact == "url" or hit.channel == "external_site":
            # a link shown as a reference (参考 / ポートフォリオ in its sentence or the one before)
            before = text[bounds[b - 1][0] : s_start] if b > 0 and bounds else ""
            negated = (
                negated or REFERENCE_RE.search(before + text[s_start:s_end]) is not None
                or _links_a_document(text, hit.start)
            )
        ev_start, ev_end = hit.start, hit.end
        if cues:
            cue, gap = cues[0], len(text)
            for c in cues:  # the nearest cue (the first of equals)
                d = min(abs(c[0] - hit.end), abs(hit.start - c[1]))
                if d < gap:
                    cue, gap = c, d
            ev_start, ev_end = min(ev_start, cue[0]), max(ev_end, cue[1])
            tail = _PREDICATE_TAIL.match(text, ev_end)
            if tail:
                ev_end = min(tail.end(), s_end)
        if ev_end - ev_start > _MAX_EVIDENCE:
            ev_start, ev_end = hit.start, hit.end
        signals.append(
            Signal(  # positional arguments: a named tuple builds faster so than by keyword
                hit.channel,
                hit.start,
                hit.end,
                hit.contact,
                bool(cues) or bool(hit.contact) or asked_next,  # requested
                negated,
                _disguised(norm, hit.start, hit.end),
                ACTION_RE.match(text, hit.end, s_end) is not None,  # action
                TOPIC_RE.search(  # topic
                    text, max(s_start, hit.start - _TOPIC_REACH), min(s_end, hit.end + _TOPIC_REACH)
                ) is not None,
                ev_start,
                ev_end,
                s_start,
                s_end,
            )
        )
    return signals


def _next_sentence_asks(
    bounds: list[tuple[int, int]], b: int, hits: list[ChannelHit],
    cues_in: Callable[[int], tuple[list[tuple[int, int]], list[int]]],
) -> bool:
    """Whether the sentence after sentence ``b`` names no channel of its own, asks (a request cue)
    and refuses nothing: then it asks about the channel named just before."""
    if b + 1 >= len(bounds):
        return False
    start, end = bounds[b + 1]
    if any(start <= h.start < end for h in hits):
        return False
    requests, refusals = cues_in(b + 1)
    return bool(requests) and not refusals


def _links_a_document(text: str, start: int) -> bool:
    """Whether a URL starts at ``start`` and points to a file or shared document (material for the
    work, not a place to go)."""
    link = URL_RE.match(text, start)
    return link is not None and DOCUMENT_URL_RE.search(link.group(0)) is not None


_HANDLE_REACH = 60


def _attribute_handles(hits: list[ChannelHit]) -> list[ChannelHit]:
    """Give an ID / handle the channel named nearest to it (``ID: x`` after ``LINE`` is LINE's)."""
    if "handle" not in [h.contact for h in hits]:
        return hits
    named = [h for h in hits if not h.contact and h.channel != "other"]
    out = []
    for h in hits:
        if h.contact == "handle" and named:
            near = min(named, key=lambda n: abs(n.start - h.start))
            if abs(near.start - h.start) <= _HANDLE_REACH:
                h = ChannelHit(near.channel, h.start, h.end, h.contact)
        out.append(h)
    return out


def _disguised(norm: NormalizedText, start: int, end: int) -> bool:
    """True for a euphemism (緑のアプリ) or when the original spelling differs from its plain NFKC
    form (an obfuscation that normalization undid)."""
    if norm.unmoved:  # the same offsets in both texts (original_span maps a mention to itself)
        return _spelled_otherwise(norm.original[start:end], norm.text[start:end])
    o_start, o_end = norm.original_span(start, end)
    return _spelled_otherwise(norm.original[o_start:o_end], norm.text[start:end])


@lru_cache(maxsize=8192)  # the same few spellings of channel names recur in most texts
def _spelled_otherwise(original: str, normalized: str) -> bool:
    if EUPHEMISM_RE.fullmatch(normalized):
        return True
    plain = unicodedata.normalize("NFKC", original).lower()
    return plain != normalized and plain not in KATAKANA_NAMES  # スラック, ﾃﾞｨｽｺｰﾄﾞ: no disguise


_PER_CHANNEL = ("mention", "request", "negated", "action", "topic")
_GLOBAL = (
    "any_request", "any_negated_only", "n_channels_requested", "contact_email", "contact_phone",
    "contact_url", "contact_handle", "disguised", "disguised_request", "length_log",
)


def lexicon_feature_names() -> list[str]:
    """Names of the columns :func:`lexicon_features` returns."""
    return [f"lex:{c}:{k}" for c in CHANNELS for k in _PER_CHANNEL] + [f"lex:{g}" for g in _GLOBAL]


_CHANNEL_INDEX = {c: i for i, c in enumerate(CHANNELS)}


def lexicon_features(norm: NormalizedText, signals: list[Signal]) -> np.ndarray:
    """A fixed-length vector of lexicon signals for one text."""
    return lexicon_matrix([norm], [signals])[0]


_N_PER = len(_PER_CHANNEL)


def lexicon_matrix(norms: list[NormalizedText], signals: list[list[Signal]]) -> np.ndarray:
    """:func:`lexicon_features` of many texts, one row each (filled without numpy per text)."""
    n_ch = len(CHANNELS)
    width = n_ch * _N_PER + len(_GLOBAL)
    out = np.zeros((len(norms), width))
    out[:, width - 1] = [math.log1p(len(n.text)) / 8.0 for n in norms]  # math's log1p, as always
    for row, found in enumerate(signals):
        if not found:
            continue
        per = out[row]  # a view: per-channel cells first, then the global ones
        email = phone = url = handle = disguised = disguised_req = 0
        requested: set[int] = set()
        negated = False
        for s in found:
            base = _CHANNEL_INDEX[s.channel] * _N_PER
            per[base] = 1.0
            if s.requested and not s.negated and not s.topic:  # a request about the work is no move
                per[base + 1] = 1.0
                requested.add(base)
            if s.negated:
                per[base + 2] = 1.0
                negated = True
            if s.action and not s.negated:
                per[base + 3] = 1.0
            if s.topic:
                per[base + 4] = 1.0
            email += s.contact == "email"
            phone += s.contact == "phone"
            url += s.contact == "url"
            handle += s.contact == "handle"
            if s.disguised:
                disguised += 1
                if s.requested:
                    disguised_req += 1
        g = n_ch * _N_PER
        per[g : g + len(_GLOBAL) - 1] = (
            float(bool(requested)), float(negated and not requested), math.log1p(len(requested)),
            math.log1p(email), math.log1p(phone), math.log1p(url), math.log1p(handle),
            math.log1p(disguised), math.log1p(disguised_req),
        )
    return out
