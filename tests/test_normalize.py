"""Normalization: each obfuscation family is undone and offsets map back to the original."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from jobrisk.normalize import normalize, normalize_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＬＩＮＥで連絡", "lineで連絡"),  # full width
        ("ﾗｲﾝ追加", "ライン追加"),  # half-width kana with voicing marks
        ("ﾃﾞｨｽｺｰﾄﾞ", "discord"),
        ("L I N E", "line"),  # spacing
        ("L.I.N.E", "line"),  # symbols between letters
        ("L★I★N★E", "line"),
        ("L💚I💚N💚E", "line"),  # emoji separators
        ("ら・い・ん", "line"),  # spaced hiragana reading
        ("らいんID", "lineid"),  # hiragana reading
        ("えるあいえぬいー", "line"),
        ("L1NE", "line"),  # look-alikes
        ("LlNE", "line"),
        ("ＬⅠＮＥ", "line"),
        ("1ine", "line"),
        ("SIackで連絡", "slackで連絡"),  # a capital I for l
        ("TeIegram", "telegram"),
        ("ⓁⓘⓃⒺ", "line"),  # circled letters
        ("𝐋𝐈𝐍𝐄", "line"),  # mathematical bold
        ("LІNЕ", "line"),  # Cyrillic І and Е
        ("Li\u200bn\u200de", "line"),  # zero-width space and joiner
        ("L\u202eINE", "line"),  # bidi override
        ("ちゃっとわーく", "chatwork"),
        ("L〇NEで送って", "lineで送って"),  # one character masked
        ("ディ〇コードのサーバー", "discordのサーバー"),
        ("イン●タのDM", "インスタのdm"),
        ("ガイドラ〇ン", "ガイドラ〇ン"),  # not inside a longer katakana word
        ("〇〇様、3×4", "〇〇様、3×4"),
        ("ズ～ムで面接", "ズームで面接"),  # a wave dash for the long vowel mark
        ("め〜るで送って", "メールで送って"),
        ("10〜20件", "10-20件"),  # between digits it stays a range
        ("でぃすこーど", "discord"),
        ("てれぐらむ", "telegram"),
        ("taro あっと example どっと com", "taro@example.com"),
        ("taro[at]example[dot]jp", "taro@example.jp"),
        ("〇九〇-〇〇〇〇-一二三四", "090-0000-1234"),
        ("０９０ー００００ー１２３４", "090-0000-1234"),
        ("0 9 0 0 0 0 0 1 2 3 4", "09000001234"),
        ("0 9 0 - 0 0 0 0 - 2 2 1 1", "090-0000-2211"),
        ("example（あっと）example（どっと）com", "example@example.com"),
        ("h t t p s : / / example . net / vip", "https://example.net/vip"),  # spaced URL
        ("e x a m p l e . n e t / j o b s", "example.net/jobs"),
        ("pj.elpmaxe//:sptth", "https://example.jp"),  # written backwards
    ],
)
def test_obfuscation_is_undone(original: str, expected: str) -> None:
    assert normalize_text(original) == expected


@pytest.mark.parametrize(
    "word",
    ["オンライン", "ガイドライン", "生産ライン", "デッドライン", "ラインナップ", "online", "deadline",
     "look at me", "1,000円 2,000円", "2024 10 15"],
)
def test_ordinary_words_are_left_alone(word: str) -> None:
    assert normalize_text(word) == word.lower()


@pytest.mark.parametrize(
    "original",
    ["詳細はＬ・Ｉ・Ｎ・Ｅで！", "ﾗｲﾝ追加してね", "まずは らいん に登録", "メール: taro あっと example どっと com"],
)
def test_offsets_map_back_to_original(original: str) -> None:
    norm = normalize(original)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    for i in range(len(norm.text)):
        assert 0 <= norm.starts[i] < norm.ends[i] <= len(original)
    assert norm.starts == tuple(sorted(norm.starts))


def test_span_of_a_rewritten_word_covers_its_original_spelling() -> None:
    original = "連絡は Ｌ　Ｉ　Ｎ　Ｅ でお願いします"
    norm = normalize(original)
    i = norm.text.index("line")
    start, end = norm.original_span(i, i + 4)
    assert original[start:end] == "Ｌ　Ｉ　Ｎ　Ｅ"


def test_empty_and_type_errors() -> None:
    assert normalize("").text == ""
    with pytest.raises(TypeError, match="str"):
        normalize(123)  # type: ignore[arg-type]


def test_megabyte_text_is_handled() -> None:
    text = "お仕事の詳細です。LINEで連絡ください。" * 50_000
    norm = normalize(text)
    assert len(norm.text) > 900_000
    assert norm.original_span(len(norm.text) - 1, len(norm.text))[1] == len(text)


# -- the fast paths give what the plain spellings give ----------------------------------------

_TRICKY = (
    "abcdeilnmostx0123456789 .,-_@:/\u3000・★♪ーアイウエオラインメールらいんでぃすこーどあっとどっと"
    "ＬＩＮＥｌｉｎｅﾗｲﾝﾞﾟ゙゚〇一二三四五六七八九０９\u200b\u200d\ufe0fΣσаеоİß…①㈱ﬁ가\u1161e\u0301\u3099か"
    "電話番号友だち追加登録idhtps●*ディスコド"
)


def _random_texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def _corpus_texts() -> list[str]:
    frame = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False)
    return frame["text"].sample(1500, random_state=1).tolist()


def test_batch_folding_equals_the_per_character_loop() -> None:
    from jobrisk.normalize import _fold_batch, _fold_chars_slow

    texts = _random_texts(5000) + _corpus_texts()
    for text, fast in zip(texts, _fold_batch(texts), strict=True):
        slow = _fold_chars_slow(text)
        assert (fast.text, *fast.offsets()) == (slow.text, slow.starts, slow.ends), repr(text)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("_SPACED_LATIN", r"(?<![a-z0-9])(?:[a-z0-9](?:[^\w\n]|_){1,3}){2,}[a-z0-9](?![a-z0-9])"),
        ("_SPACED_KANA", r"(?:[ぁ-ゖァ-ヺー](?:[^\w\n]|_){1,3}){2,}[ぁ-ゖァ-ヺー]"),
        (
            "_SPACED_DIGITS",
            r"(?<!\d)\d(?:[ \u3000・.,]\d){6,}(?!\d)"
            r"|(?<!\d)\d(?:[ \u3000]?\d){1,3}(?:[ \u3000]*-[ \u3000]*\d(?:[ \u3000]?\d){2,3}){2}(?!\d)",
        ),
    ],
)
def test_character_class_first_patterns_match_their_plain_spelling(name: str, plain: str) -> None:
    from jobrisk import normalize as module

    fast, reference = getattr(module, name), re.compile(plain)
    texts = [*_random_texts(3000, seed=2), "0 9 0 - 0 0 0 0 - 1 2 3 4", "l.i.n.e", "ら・い・ん"]
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in reference.finditer(text)]


def _gate_texts() -> list[str]:
    return _random_texts(3000, seed=3) + _corpus_texts() + [
        "taro あっと example どっと com", "pj.elpmaxe//:sptth", "h t t p s : / / example . net / jobs",
        "L1NE と d1sc0rd と $lack", "ら〜い〜ん", "〇九〇 一二三四 五六七八", "0 9 0 - 0 0 0 0 - 0 0 0 0", "L〇NE",
    ]


def test_step_gate_never_skips_a_change() -> None:
    from jobrisk.normalize import _STEP_GATE, _STEPS, _fold_batch

    for mapped in _fold_batch(_gate_texts()):
        for k, (pattern, replace) in enumerate(_STEPS):  # every step runs, none skipped
            before = mapped.text
            mapped.sub(pattern, replace)
            assert mapped.text == before or k in _STEP_GATE(before), (pattern.pattern[:30], before)


def test_gated_normalization_equals_running_every_step() -> None:
    from jobrisk.normalize import _STEPS, _fold_batch, normalize_batch

    texts = _gate_texts()
    expected = []
    for mapped in _fold_batch(texts):
        for pattern, replace in _STEPS:
            mapped.sub(pattern, replace)
        expected.append((mapped.text, *mapped.offsets()))
    got = [(n.text, list(n.starts), list(n.ends)) for n in normalize_batch(texts)]
    assert got == expected


def test_batch_normalization_equals_one_by_one() -> None:
    from jobrisk.normalize import normalize_batch

    texts = [t.replace("x", "\n") for t in _random_texts(2000, seed=5)] + _corpus_texts()
    expected = [(n.text, n.starts, n.ends) for n in map(normalize, texts)]
    for size in (len(texts), 7, 2):
        got = [
            (n.text, n.starts, n.ends)
            for i in range(0, len(texts), size)
            for n in normalize_batch(texts[i : i + size])
        ]
        assert got == expected
