"""Obfuscation augmenter: rewrite the channel names and contact data of a text the way evaders do.

``obfuscate(text, technique, rng)`` returns the text with one technique applied to every
channel mention it can rewrite, or ``None`` when the technique does not apply to the text.
Used to build the corpus and to test that the normalizer undoes each technique.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

__all__ = ["TECHNIQUES", "applicable_techniques", "obfuscate"]

# Channel words written in Latin letters (case-insensitive), not inside other words.
_LATIN_CHANNELS = re.compile(
    r"(?<![A-Za-z./@_-])(LINE|Line|line|Chatwork|ChatWork|chatwork|Telegram|telegram|Discord|discord|"
    r"Slack|slack|Skype|skype|WhatsApp|Whatsapp|whatsapp|Instagram|instagram|TikTok|tiktok|"
    r"Zoom|zoom|Gmail|gmail|Facebook|facebook)(?![A-Za-z./_-])"
)
# Katakana channel words (ライン only standalone, not オンライン / ガイドライン / ライン作業).
_KATA_CHANNELS = re.compile(
    r"(?<![ァ-ヺー])(ライン|チャットワーク|テレグラム|ディスコード|メール|インスタ|スカイプ)(?![ァ-ヺー作工])"
)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+)\.([A-Za-z.]+)")
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
_HANDLE = re.compile(r"((?:ID|ＩＤ|id)\s*[:：]?\s*)([A-Za-z0-9][A-Za-z0-9._-]{3,})")

_READING_HIRA = {
    "line": "らいん", "chatwork": "ちゃっとわーく", "telegram": "てれぐらむ", "discord": "でぃすこーど",
    "slack": "すらっく", "skype": "すかいぷ", "whatsapp": "わっつあっぷ", "instagram": "いんすたぐらむ",
    "tiktok": "てぃっくとっく", "zoom": "ずーむ", "gmail": "じーめーる", "facebook": "ふぇいすぶっく",
    "ライン": "らいん", "チャットワーク": "ちゃっとわーく", "テレグラム": "てれぐらむ",
    "ディスコード": "でぃすこーど", "メール": "めーる", "インスタ": "いんすた", "スカイプ": "すかいぷ",
}
_READING_KATA = {
    "line": "ライン", "chatwork": "チャットワーク", "telegram": "テレグラム", "discord": "ディスコード",
    "slack": "スラック", "skype": "スカイプ", "whatsapp": "ワッツアップ", "instagram": "インスタグラム",
    "tiktok": "ティックトック", "zoom": "ズーム", "gmail": "ジーメール", "facebook": "フェイスブック",
}
_ROMAJI = {"ライン": "rain", "line": "rain", "メール": "me-ru", "インスタ": "insuta",
           "チャットワーク": "chattowa-ku", "テレグラム": "teregramu"}
_EUPHEMISM = {
    "line": ["緑のアプリ", "緑のメッセージアプリ", "緑のやつ", "「L」から始まるアプリ"],
    "ライン": ["緑のアプリ", "緑のメッセージアプリ", "いつものトークアプリ"],
    "telegram": ["紙飛行機のアプリ", "紙飛行機マークのアプリ"],
    "テレグラム": ["紙飛行機のアプリ"],
    "instagram": ["カメラのアイコンのSNS", "写真のSNS"],
    "インスタ": ["写真のSNS"],
    "メール": ["電子の手紙", "Eの手紙"],
}
_LOOKALIKE = {"l": ["1", "I", "|"], "i": ["1", "l", "Ⅰ", "!"], "o": ["0"], "e": ["3"], "a": ["4", "@"]}
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "A": "А",
             "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "I": "І", "T": "Т", "H": "Н",
             "K": "К", "M": "М", "B": "В"}
_EMOJI = ["⭐", "🌟", "💚", "✨", "🍀", "❤", "🔸", "♪"]
_SYMBOLS = [".", "-", "/", "・", "*", "_", "|"]
_KANJI_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_HALF_KANA = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー",
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ",
    strict=True,
))
_VOICED = {"ガ": "ｶﾞ", "ギ": "ｷﾞ", "グ": "ｸﾞ", "ゲ": "ｹﾞ", "ゴ": "ｺﾞ", "ザ": "ｻﾞ", "ジ": "ｼﾞ",
           "ズ": "ｽﾞ", "ゼ": "ｾﾞ", "ゾ": "ｿﾞ", "ダ": "ﾀﾞ", "ヂ": "ﾁﾞ", "ヅ": "ﾂﾞ", "デ": "ﾃﾞ",
           "ド": "ﾄﾞ", "バ": "ﾊﾞ", "ビ": "ﾋﾞ", "ブ": "ﾌﾞ", "ベ": "ﾍﾞ", "ボ": "ﾎﾞ", "パ": "ﾊﾟ",
           "ピ": "ﾋﾟ", "プ": "ﾌﾟ", "ペ": "ﾍﾟ", "ポ": "ﾎﾟ", "ヴ": "ｳﾞ"}


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def _halfwidth_kana(s: str) -> str:
    return "".join(_VOICED.get(c) or _HALF_KANA.get(c, c) for c in s)


def _shift_letters(s: str, upper: int, lower: int) -> str:
    """Latin letters moved to another Unicode block (circled Ⓐ, mathematical bold 𝐀 ...)."""
    return "".join(
        chr(upper + ord(c) - 65) if "A" <= c <= "Z" else chr(lower + ord(c) - 97) if "a" <= c <= "z" else c
        for c in s
    )


def _circled(s: str) -> str:
    return _shift_letters(s, 0x24B6, 0x24D0)


def _math_bold(s: str) -> str:
    return _shift_letters(s, 0x1D400, 0x1D41A)


def _word_rewriter(fn: Callable[[str, random.Random], str | None], kata: bool = False):
    """A technique that rewrites each Latin (and optionally katakana) channel word."""

    def apply(text: str, rng: random.Random) -> str | None:
        changed = False

        def repl(m: re.Match[str]) -> str:
            nonlocal changed
            new = fn(m.group(0), rng)
            if new is None or new == m.group(0):
                return m.group(0)
            changed = True
            return new

        out = _LATIN_CHANNELS.sub(repl, text)
        if kata:
            out = _KATA_CHANNELS.sub(repl, out)
        return out if changed else None

    return apply


def _lookalike(word: str, rng: random.Random) -> str | None:
    positions = [i for i, c in enumerate(word) if c.lower() in _LOOKALIKE]
    if not positions:
        return None
    i = rng.choice(positions)
    return word[:i] + rng.choice(_LOOKALIKE[word[i].lower()]) + word[i + 1 :]


def _cyrillic(word: str, rng: random.Random) -> str | None:
    positions = [i for i, c in enumerate(word) if c in _CYRILLIC]
    if not positions:
        return None
    chosen = set(rng.sample(positions, k=min(2, len(positions))))
    return "".join(_CYRILLIC[c] if i in chosen else c for i, c in enumerate(word))


def _mixed_width(word: str, rng: random.Random) -> str | None:
    if not word.isascii():
        return None
    return "".join(_fullwidth(c) if i % 2 == 0 else c.swapcase() for i, c in enumerate(word))


def _euphemism(word: str, rng: random.Random) -> str | None:
    options = _EUPHEMISM.get(word.lower()) or _EUPHEMISM.get(word)
    return rng.choice(options) if options else None


def _email_at_dot(text: str, rng: random.Random) -> str | None:
    if not _EMAIL.search(text):
        return None
    at, dot = rng.choice([("あっと", "どっと"), ("[at]", "[dot]"), ("(at)", "(dot)"), ("アットマーク", "ドット"),
                          (" at ", " dot ")])
    return _EMAIL.sub(lambda m: f"{m.group(1)}{at}{m.group(2)}{dot}{m.group(3).replace('.', dot)}", text)


def _phone_kanji(text: str, rng: random.Random) -> str | None:
    if not _PHONE.search(text):
        return None
    return _PHONE.sub(lambda m: m.group(0).translate(_KANJI_DIGITS).replace("-", rng.choice(["-", "ー", "の"])), text)


def _phone_spaced(text: str, rng: random.Random) -> str | None:
    if not _PHONE.search(text):
        return None
    return _PHONE.sub(lambda m: " ".join(m.group(0).replace("-", "")), text)


def _split_id(text: str, rng: random.Random) -> str | None:
    m = _HANDLE.search(text)
    if not m:
        return None
    handle = m.group(2)
    cut = max(2, len(handle) // 2)
    head, tail = handle[:cut], handle[cut:]
    phrase = rng.choice([
        f"IDは「{head}」のあとに「{tail}」を続けたものです",
        f"ID前半 {head} ／後半 {tail}（つなげて検索）",
        f"IDは {head} と {tail} をくっつけてください",
    ])
    return text[: m.start()] + phrase + text[m.end() :]


def _with_separator(word: str, seps: list[str], rng: random.Random) -> str | None:
    if len(word) < 3:
        return None
    sep = rng.choice(seps)
    return sep.join(word)


TECHNIQUES: dict[str, Callable[[str, random.Random], str | None]] = {
    "fullwidth": _word_rewriter(lambda w, r: _fullwidth(w) if w.isascii() else None),
    "halfwidth_kana": _word_rewriter(
        lambda w, r: _halfwidth_kana(w if not w.isascii() else _READING_KATA.get(w.lower(), "")) or None,
        kata=True,
    ),
    "spacing": _word_rewriter(lambda w, r: _with_separator(w, [" ", "  ", "　"], r), kata=True),
    "symbols_between": _word_rewriter(lambda w, r: _with_separator(w, _SYMBOLS, r), kata=True),
    "hiragana_reading": _word_rewriter(lambda w, r: _READING_HIRA.get(w.lower()) or _READING_HIRA.get(w), kata=True),
    "katakana_reading": _word_rewriter(lambda w, r: _READING_KATA.get(w.lower())),
    "romaji_reading": _word_rewriter(lambda w, r: _ROMAJI.get(w.lower()) or _ROMAJI.get(w), kata=True),
    "lookalike": _word_rewriter(_lookalike),
    "zero_width": _word_rewriter(lambda w, r: "\u200b".join(w), kata=True),
    "emoji_separator": _word_rewriter(lambda w, r: _with_separator(w, _EMOJI, r), kata=True),
    "euphemism": _word_rewriter(_euphemism, kata=True),
    "at_dot_words": _email_at_dot,
    "kanji_numerals": _phone_kanji,
    "spaced_digits": _phone_spaced,
    "split_id": _split_id,
    # held out of training: only the test split uses these (see data/build_corpus.py)
    "circled_letters": _word_rewriter(lambda w, r: _circled(w) if w.isascii() else None),
    "math_letters": _word_rewriter(lambda w, r: _math_bold(w) if w.isascii() else None),
    "cyrillic_lookalike": _word_rewriter(_cyrillic),
    "mixed_width": _word_rewriter(_mixed_width),
}


def obfuscate(text: str, technique: str, rng: random.Random | None = None) -> str | None:
    """``text`` with ``technique`` applied, or None when it has nothing the technique rewrites."""
    if technique not in TECHNIQUES:
        raise ValueError(f"unknown technique {technique!r}; known: {', '.join(TECHNIQUES)}")
    return TECHNIQUES[technique](text, rng or random.Random(0))


def applicable_techniques(text: str) -> list[str]:
    """The techniques that change ``text``."""
    rng = random.Random(0)
    return [t for t, fn in TECHNIQUES.items() if fn(text, rng) is not None]
