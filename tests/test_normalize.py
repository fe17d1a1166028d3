"""Normalization: each obfuscation family is undone and offsets map back to the original."""

from __future__ import annotations

import pytest

from jobrisk.normalize import normalize, normalize_text


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
        ("ⓁⓘⓃⒺ", "line"),  # circled letters
        ("𝐋𝐈𝐍𝐄", "line"),  # mathematical bold
        ("LІNЕ", "line"),  # Cyrillic І and Е
        ("Li\u200bn\u200de", "line"),  # zero-width space and joiner
        ("L\u202eINE", "line"),  # bidi override
        ("ちゃっとわーく", "chatwork"),
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
