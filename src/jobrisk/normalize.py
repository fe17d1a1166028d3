"""Normalization that undoes common obfuscation and keeps offsets into the original text.

``normalize(text)`` returns a :class:`NormalizedText`: the normalized string plus, for every
normalized character, the ``[start, end)`` range of original characters it came from, so that
spans found on the normalized text can be shown on the text the user gave.

Steps, in order:

1. per character: NFKC (full/half width, circled and math letters, ``Ⅰ`` → ``I``), lower case,
   Cyrillic/Greek look-alikes to Latin, zero-width / bidi / variation-selector characters removed;
2. single letters or kana separated by spaces, dots or emoji are joined (``l i n e``,
   ``L★I★N★E``, ``ら・い・ん``); a wave dash left between kana is the long vowel mark
   (``ズ〜ム`` → ``ズーム``);
3. runs of kanji numerals become digits and dashes between digits become ``-``; spaced digit runs
   are joined (phone numbers);
4. e-mail written with ``あっと`` / ``[at]`` / ``どっと`` becomes ``@`` and ``.``;
5. channel names with one inner character masked become the name (``L〇NE`` → ``line``,
   ``ディ〇コード`` → ``ディスコード``); look-alike and kana / romaji spellings of channel names become
   the canonical Latin name (``L1NE`` → ``line``, ``らいん`` → ``line``, ``ちゃっとわーく`` → ``chatwork``).

Steps 2–5 run only where one compiled pass (:mod:`jobrisk.gates`) says their pattern can match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .gates import Gate
from .patterns import KATAKANA, alternation, word

__all__ = ["KATAKANA_NAMES", "LATIN_NAMES", "NormalizedText", "normalize", "normalize_batch", "normalize_text"]

# Characters that carry no visible text and are used to break keywords apart.
_INVISIBLE = set(
    [chr(c) for c in range(0x200B, 0x2010)]  # zero-width space/joiners, LRM/RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2060, 0x2070)]  # word joiner, invisible operators, bidi isolates
    + [chr(c) for c in range(0xFE00, 0xFE10)]  # variation selectors
    + ["\ufeff", "\u00ad", "\u180e", "\u034f", "\u061c", "\u115f", "\u1160", "\u3164", "\uffa0"]
)
_VARIATION_SUPPLEMENT = range(0xE0100, 0xE01F0)
_TAGS = range(0xE0000, 0xE0080)

# Cyrillic and Greek letters that look like Latin ones.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ӏ": "l", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "n", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "η": "n", "μ": "m",
    }
)
_VOICING = {"\u3099", "\u309a", "\uff9e", "\uff9f"}


class NormalizedText:
    """A normalized string with a map back to the original.

    ``starts[i]`` and ``ends[i]`` are the original ``[start, end)`` range that normalized
    character ``i`` came from. Most texts keep every character in place (offsets ``i`` and
    ``i + 1``); they store no offset tuples. Read-only, but for ``analysis``, where
    :func:`jobrisk.signals.analyze` keeps its result (None until then); hashed by identity.
    """

    __slots__ = ("_ends", "_starts", "analysis", "original", "text")

    def __init__(
        self,
        text: str,
        starts: tuple[int, ...] | None,
        ends: tuple[int, ...] | None,
        original: str,
    ) -> None:
        """``starts`` and ``ends`` None: character ``i`` came from original character ``i``."""
        if (starts is None) != (ends is None) or (starts is None and len(text) != len(original)):
            raise ValueError("NormalizedText needs both offset tuples, or neither for an unmoved text")
        self.text, self.original, self._starts, self._ends = text, original, starts, ends
        self.analysis: tuple[Any, ...] | None = None

    @property
    def unmoved(self) -> bool:
        """True when normalized character ``i`` came from original character ``i`` for every ``i``."""
        return self._starts is None

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(range(len(self.text))) if self._starts is None else self._starts

    @property
    def ends(self) -> tuple[int, ...]:
        return tuple(range(1, len(self.text) + 1)) if self._ends is None else self._ends

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized ``[start, end)`` range to the original text."""
        if not self.text:
            return (0, 0)
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        if self._starts is None or self._ends is None:
            return (start, end)
        return (self._starts[start], self._ends[end - 1])

    def __repr__(self) -> str:
        return f"NormalizedText(text={self.text!r}, original={self.original!r})"


class _Mapped:
    """A string under edit, with the original range of every character (``None``: each
    character is still where it was in the original)."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: list[int] | None, ends: list[int] | None) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    def offsets(self) -> tuple[list[int], list[int]]:
        if self.starts is None or self.ends is None:
            n = len(self.text)
            self.starts, self.ends = list(range(n)), list(range(1, n + 1))
        return self.starts, self.ends

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> None:
        """Replace every match; replacement characters map to the whole matched range."""
        text = self.text
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        changed = False
        for m in pattern.finditer(text):
            a, b = m.span()
            new = repl(m)
            if new == m.group(0):
                continue
            if not changed:
                starts, ends = self.offsets()
                changed = True
            out.append(text[pos:a])
            new_starts.extend(starts[pos:a])
            new_ends.extend(ends[pos:a])
            if a < b:
                s0, e0 = starts[a], ends[b - 1]
            else:
                s0 = e0 = starts[a] if a < len(starts) else (ends[-1] if ends else 0)
            out.append(new)
            new_starts.extend([s0] * len(new))
            new_ends.extend([e0] * len(new))
            pos = b
        if not changed:
            return
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self.text, self.starts, self.ends = "".join(out), new_starts, new_ends


@lru_cache(maxsize=65536)
def _fold(group: str) -> str:
    """NFKC, lower case and confusable folding of one character with its combining marks."""
    kept = "".join(
        c
        for c in group
        if c not in _INVISIBLE
        and ord(c) not in _VARIATION_SUPPLEMENT
        and ord(c) not in _TAGS
    )
    if not kept:
        return ""
    return unicodedata.normalize("NFKC", kept).lower().translate(_CONFUSABLES)


# Fast path of folding. A character that folds, alone, to exactly one character (and is not a
# mark that joins the character before it) folds the same in any text, so a text made only of
# such characters folds with one table lookup per character and every offset maps to itself.
# The table (code point → folded code point) is learned as characters are first seen and looked
# up with numpy for a whole batch of texts at once; texts with other characters take the
# per-character loop (_fold_chars_slow). tests/test_normalize.py checks that both agree.
_UNKNOWN = 0x110000  # table values past the last code point
_PER_CHARACTER = 0x110001
_FOLD_TABLE = np.full(0x110000, _UNKNOWN, dtype=np.uint32)


def _learn(code_points: np.ndarray) -> None:
    for cp in code_points.tolist():
        c = chr(cp)
        folded = _fold(c) if not (0xD800 <= cp <= 0xDFFF) else ""
        one = len(folded) == 1 and c not in _VOICING and not unicodedata.combining(c)
        _FOLD_TABLE[cp] = ord(folded) if one else _PER_CHARACTER


def _fold_batch(texts: Sequence[str]) -> list[_Mapped]:
    """Fold every text of ``texts`` (NFKC, lower case, look-alikes; invisible characters out)."""
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _FOLD_TABLE[points]
    if (folded == _UNKNOWN).any():
        _learn(np.unique(points[folded == _UNKNOWN]))
        folded = _FOLD_TABLE[points]
    special = folded == _PER_CHARACTER
    if special.any():
        folded[special] = 0
    ends = np.cumsum([len(t) for t in texts])
    starts = ends - [len(t) for t in texts]
    slow = set(np.searchsorted(ends, np.flatnonzero(special), side="right").tolist())
    joined = folded.tobytes().decode("utf-32-le", "surrogatepass")
    return [
        _fold_chars_slow(t) if i in slow else _Mapped(joined[a:b], None, None)
        for i, (t, a, b) in enumerate(zip(texts, starts.tolist(), ends.tolist(), strict=True))
    ]


def _fold_chars_slow(text: str) -> _Mapped:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        # keep a base character together with its combining / voicing marks (ﾀﾞ → ダ)
        while j < n and (text[j] in _VOICING or unicodedata.combining(text[j])):
            j += 1
        folded = _fold(text[i:j])
        if folded:
            out.append(folded)
            starts.extend([i] * len(folded))
            ends.extend([j] * len(folded))
        i = j
    return _Mapped("".join(out), starts, ends)


# A separator between obfuscated letters: anything that is not a letter, digit, kana or line break.
_SEP = r"(?:[^\w\n]|_)"


# Patterns that can start with a character class do (the lookbehind after it): the regex engine
# then skips the positions that cannot start a match in C. tests/test_normalize.py checks them
# against the plain spellings in the comments.
# (?<![a-z0-9])(?:[a-z0-9]SEP{1,3}){2,}[a-z0-9](?![a-z0-9])
_SPACED_LATIN = re.compile(
    rf"[a-z0-9](?<![a-z0-9][a-z0-9]){_SEP}{{1,3}}(?:[a-z0-9]{_SEP}{{1,3}})+[a-z0-9](?![a-z0-9])"
)
# (?:KANA SEP{1,3}){2,}KANA
_SPACED_KANA = re.compile(rf"[ぁ-ゖァ-ヺー]{_SEP}{{1,3}}(?:[ぁ-ゖァ-ヺー]{_SEP}{{1,3}})+[ぁ-ゖァ-ヺー]")
_NON_WORD = re.compile(rf"{_SEP}+")


def _join_spaced_latin(m: re.Match[str]) -> str:
    letters = _NON_WORD.sub("", m.group(0))
    if sum(c.isalpha() for c in letters) < 2:
        return m.group(0)
    return letters


def _join_spaced_kana(m: re.Match[str]) -> str:
    return _NON_WORD.sub("", m.group(0))


# A wave dash between kana written for the long vowel mark (ズ〜ム, め〜る); runs of separated kana
# (ら〜い〜ん) are joined by the step before.
_WAVE_AS_LONG_VOWEL = re.compile(r"[~〜](?<=[ぁ-ゖァ-ヺ].)(?=[ぁ-ゖァ-ヺ])")  # class first: see _SPACED_LATIN

_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_KANJI_NUMBER_RUN = re.compile(
    r"[〇零一二三四五六七八九](?:[〇零一二三四五六七八九]|[-ー−‐ 　](?=[〇零一二三四五六七八九])){3,}"
)
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \u3000]*[ー−‐―–—~〜][ \u3000]*(?=\d)")
# (?<!\d)\d(?:…){6,}(?!\d) | (?<!\d)\d(?:…){1,3}(?:…){2}(?!\d)
_SPACED_DIGITS = re.compile(
    r"\d(?<!\d\d)(?:"
    r"(?:[ \u3000・.,]\d){6,}(?!\d)"  # 0 9 0 0 0 0 0 1 2 3 4
    r"|(?:[ \u3000]?\d){1,3}(?:[ \u3000]*-[ \u3000]*\d(?:[ \u3000]?\d){2,3}){2}(?!\d)"  # 0 9 0 - 0 0 0 0 - …
    r")"
)
# URLs written with spaces (h t t p s : / / example . net / jobs) or backwards (pj.elpmaxe//:sptth).
_SPACED_URL = re.compile(
    r"h[ \u3000]*t[ \u3000]*t[ \u3000]*p[ \u3000]*s?[ \u3000]*:[ \u3000]*/[ \u3000]*/(?:[ \u3000]?[a-z0-9./_?=&%#~-])+"
    r"|(?<![a-z0-9])(?:[a-z0-9][ \u3000]?){2,}[ \u3000]*\.[ \u3000]*(?:c ?o ?m|j ?p|n ?e ?t|o ?r ?g|i ?o)(?![a-z])"
    r"(?:[ \u3000]*/(?:[ \u3000]?[a-z0-9_-])+)*"
)
_REVERSED_URL = re.compile(r"[a-z0-9./_?=&%#~-]+//:s?ptth")


def _compact_url(m: re.Match[str]) -> str:
    run = m.group(0)
    return re.sub(r"[ \u3000]", "", run) if run.count(" ") + run.count("\u3000") >= 2 else run


def _kanji_number(m: re.Match[str]) -> str:
    run = m.group(0)
    if sum(c in "〇零一二三四五六七八九" for c in run) < 4:
        return run
    return run.translate(_KANJI_DIGITS)


_OPEN, _CLOSE = r"[(\[<{【「『〔]", r"[)\]>}】」』〕]"
_AT_WORD = r"(?:あっと(?:まーく)?|アット(?:マーク)?|at)"
_DOT_WORD = r"(?:どっと|ドット|dot)"
_AT = re.compile(
    rf"(?<=[a-z0-9._-])[ \u3000]*(?:{_OPEN}{_AT_WORD}{_CLOSE}|あっと(?:まーく)?|アット(?:マーク)?|"
    rf"\s+at\s+(?=[a-z0-9-]+\s*(?:\.|{_OPEN}?{_DOT_WORD})))[ \u3000]*(?=[a-z0-9])"
)
_DOT = re.compile(
    rf"(?<=[a-z0-9])[ \u3000]*(?:{_OPEN}{_DOT_WORD}{_CLOSE}|どっと|ドット|\s+dot\s+)[ \u3000]*(?=[a-z])"
)

# Look-alike classes for channel names written with digits or symbols.
_LOOKALIKE = {
    "l": "[l1|!ıi]",  # i: a capital I (SIack)
    "i": "[i1l!|ı]",
    "o": "[o0]",
    "e": "[e3]",
    "a": "[a4@]",
    "s": "[s5$]",
    "g": "[g9]",
    "b": "[b8]",
}
# Services' names as Japanese ordinarily writes them in katakana (the readings below map some of
# them to the Latin name; writing them so is no disguise).
KATAKANA_NAMES: frozenset[str] = frozenset({
    "ライン", "チャットワーク", "ディスコード", "ディスコ", "テレグラム", "スラック", "スカイプ", "ワッツアップ",
    "インスタグラム", "インスタ", "ティックトック", "フェイスブック", "ツイッター", "ズーム", "ジーメール",
})
# The Latin names that look-alike spellings and readings are brought back to.
LATIN_NAMES = ("line", "chatwork", "discord", "telegram", "slack", "skype", "whatsapp",
               "instagram", "tiktok", "facebook", "gmail", "signal")


def _lookalike_pattern(word: str) -> str:
    return "".join(_LOOKALIKE.get(c, re.escape(c)) for c in word)


# (?<![a-z0-9])(?:(?P<line>LOOKALIKE("line"))|…)(?![a-z]), with the first letter taken by one
# character class (so the engine skips the other positions in C) and checked by a lookbehind.
_LOOKALIKE_FIRST = "".join(sorted({c for w in LATIN_NAMES for c in _LOOKALIKE.get(w[0], w[0]).strip("[]")}))
_LOOKALIKE_WORDS = re.compile(
    f"[{re.escape(_LOOKALIKE_FIRST)}](?<![a-z0-9].)(?:"
    + "|".join(
        f"(?<={_lookalike_pattern(w[0])}){_lookalike_pattern(w[1:])}(?P<{w}>)" for w in LATIN_NAMES
    )
    + r")(?![a-z])"
)

# A look-alike spelling that differs from the name somewhere: only such a match changes the text,
# so the gate of the step asks for this (canonical names, in most texts, need no scan).
_LOOKALIKE_CHANGED = re.compile(
    "|".join(
        _lookalike_pattern(w[:i])
        + "[" + re.escape(_LOOKALIKE[w[i]].strip("[]").replace(w[i], "")) + "]"
        + _lookalike_pattern(w[i + 1 :])
        for w in LATIN_NAMES for i in range(len(w)) if w[i] in _LOOKALIKE
    )
)

# Channel names with one inner character masked (L〇NE, ディ〇コード, イン●タ): back to the name, for
# the look-alike and reading steps after this one. Longer names first; a name is not a part of a
# longer Latin or katakana word. The step runs only when a mask follows a letter or katakana.
_MASKS = "〇○●◯◎*×✕"
_MASKABLE = sorted({*LATIN_NAMES, "zoom", *KATAKANA_NAMES}, key=lambda n: (-len(n), n))
_MASKED_VARIANTS = [  # (group name, channel name, masked position)
    (f"m{k}_{i}", name, i) for k, name in enumerate(_MASKABLE) for i in range(1, len(name) - 1)
]
_MASKED_NAME = {group: name for group, name, _ in _MASKED_VARIANTS}
_MASKED_WORDS = re.compile(
    alternation(
        *(
            word(
                f"{re.escape(name[:i])}[{_MASKS}]{re.escape(name[i + 1:])}(?P<{group}>)",
                "[a-z]" if name.isascii() else KATAKANA,
                after="(?![a-z])" if name.isascii() else f"(?!{KATAKANA})",
            )
            for group, name, i in _MASKED_VARIANTS
        )
    )
)


# Kana and romaji readings of channel names (katakana ライン alone stays: it is an ordinary word).
_READINGS: dict[str, tuple[str, ...]] = {
    "line": ("えるあいえぬいー", "らいん", "エルアイエヌイー", "rain", "rainn"),
    "chatwork": ("ちゃっとわーく", "チャットワーク", "ちゃわ", "チャワ", "chattowaaku", "chattowa-ku"),
    "discord": ("でぃすこーど", "ディスコード", "ですこーど", "デスコード", "でぃすこ", "disukoodo", "disuko-do"),
    "telegram": ("てれぐらむ", "テレグラム", "てれぐら", "テレグラ", "tereguramu", "teregramu"),
    "slack": ("すらっく", "スラック", "surakku"),
    "skype": ("すかいぷ", "スカイプ", "sukaipu"),
    "whatsapp": ("わっつあっぷ", "ワッツアップ", "わっつあぷ", "ワッツアプ", "wattsuappu"),
    "instagram": ("いんすたぐらむ", "インスタグラム", "いんすた", "insuta", "insutaguramu"),
    "tiktok": ("てぃっくとっく", "ティックトック", "ちくとく", "tikkutokku"),
    "facebook": ("ふぇいすぶっく", "フェイスブック", "ふぇいすぶく", "feisubukku"),
    "zoom": ("ずーむ", "zuumu", "zu-mu"),
    "gmail": ("じーめーる", "ジーメール", "jiimeeru"),
    "メール": ("めーる", "meeru", "me-ru"),
    "メアド": ("めあど", "めるあど", "メルアド", "meado", "meruado"),
}
_READING_TO_NAME = {reading: name for name, rs in _READINGS.items() for reading in rs}
# Every alternative starts with a literal character (a romaji reading, not inside a longer Latin
# word, is written with patterns.word), so the engine skips the other positions in C, and
# alternation() groups the alternatives by it.
_READING_ALTERNATIVES = tuple(
    (word(re.escape(r), "[a-z]", after="(?![a-z])") if r.isascii() else re.escape(r))
    for r in sorted(_READING_TO_NAME, key=len, reverse=True)
)
_READING_WORDS = re.compile(alternation(*_READING_ALTERNATIVES))


def _canonical_lookalike(m: re.Match[str]) -> str:
    return m.lastgroup or m.group(0)  # the empty group that closes each word names it


# The steps after folding, in order: (pattern, replacement). A step runs only when the gate says
# that its pattern can match the text (one compiled scan for all of them, see jobrisk.gates), and
# the gate asks again after a step has changed the text.
_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_REVERSED_URL, lambda x: x.group(0)[::-1]),
    (_SPACED_URL, _compact_url),
    (_SPACED_LATIN, _join_spaced_latin),
    (_SPACED_KANA, _join_spaced_kana),
    (_WAVE_AS_LONG_VOWEL, lambda _: "ー"),  # ズ〜ム, め〜る
    (_KANJI_NUMBER_RUN, _kanji_number),
    (_DASH_BETWEEN_DIGITS, lambda _: "-"),
    (_SPACED_DIGITS, lambda x: re.sub(r"[^\d-]", "", x.group(0))),
    (_AT, lambda _: "@"),
    (_DOT, lambda _: "."),
    (_MASKED_WORDS, lambda x: _MASKED_NAME[x.lastgroup or ""]),
    (_LOOKALIKE_WORDS, _canonical_lookalike),
    (_READING_WORDS, lambda x: _READING_TO_NAME[x.group(0)]),
)
_STEP_GATE = Gate([_LOOKALIKE_CHANGED if p is _LOOKALIKE_WORDS else p for p, _ in _STEPS])


def _apply_steps(m: _Mapped) -> None:
    """Run, in order, the steps whose pattern the gate says can match ``m``'s text."""
    steps = _STEP_GATE(m.text)
    i = 0
    while i < len(steps):
        k = steps[i]
        i += 1
        before = m.text
        m.sub(*_STEPS[k])
        if m.text is not before:  # later steps see the new text
            steps, i = [s for s in _STEP_GATE(m.text) if s > k], 0


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for feature extraction, undoing common obfuscation.

    Args:
        text: the original text.

    Returns:
        The normalized text with its map back to ``text``.
    """
    return normalize_batch([text])[0]


def normalize_batch(texts: Sequence[str]) -> list[NormalizedText]:
    """:func:`normalize` of every text of ``texts``, faster than one by one."""
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"normalize() takes a str, got {type(text).__name__}")
    out = []
    for text, m in zip(texts, _fold_batch(texts), strict=True):
        _apply_steps(m)
        if m.starts is None or m.ends is None:  # every character still where it was
            out.append(NormalizedText(m.text, None, None, text))
        else:
            out.append(NormalizedText(m.text, tuple(m.starts), tuple(m.ends), text))
    return out


def normalize_text(text: str) -> str:
    """The normalized string alone (no offsets)."""
    return normalize(text).text
