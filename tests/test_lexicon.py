"""The channel lexicon: its fast first-character guard finds the same mentions as the plain
alternation, and signals tell requests from refusals and work subjects."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from jobrisk import lexicon
from jobrisk.normalize import normalize, normalize_text
from jobrisk.signals import analyze

ROOT = Path(__file__).resolve().parents[1]


def test_first_char_guard_finds_the_same_mentions_as_the_plain_pattern() -> None:
    plain = re.compile("|".join(f"(?P<{n}>{p})" for n, p in lexicon._CHANNEL_PATTERNS.items()))
    texts = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False)["text"]
    texts = texts.sample(1500, random_state=0).tolist()
    texts += pd.read_csv(ROOT / "eval" / "challenge.csv", dtype=str)["text"].tolist()
    for text in map(normalize_text, texts):
        expected = [(m.lastgroup, m.span()) for m in plain.finditer(text)]
        got = [(m.lastgroup, m.span()) for m in lexicon._CHANNEL_RE.finditer(text)]
        assert got == expected, text[:80]


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("ラインで連絡ください", ["line"]),
        ("オンラインで完結、ガイドラインに沿ってライン作業", []),
        ("緑のアプリで話そう", ["line"]),
        ("履歴書は taro@example.com まで", ["email"]),  # the address is not also a URL
        ("LINE ID: example_kei を追加", ["line", "line"]),  # the handle belongs to LINE
    ],
)
def test_channels_found(text: str, channels: list[str]) -> None:
    assert [s.channel for s in analyze(normalize(text))] == channels


def test_request_refusal_and_topic() -> None:
    asked, = analyze(normalize("LINEで連絡してください"))
    assert asked.requested and asked.action and not asked.negated and not asked.topic
    refused, = analyze(normalize("LINEでの連絡はご遠慮ください"))
    assert refused.negated
    topic, = analyze(normalize("LINE公式アカウントの運用をお願いします"))
    assert topic.topic and not topic.action
    far, = analyze(normalize("Zoom面談あり、顔出し不要です"))
    assert not far.negated  # 顔出し不要 does not refuse the interview
