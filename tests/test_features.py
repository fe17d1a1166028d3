"""What the word and context views read: contact data as placeholders, no fictitious-data words,
and in the context view no names of apps and services."""

from __future__ import annotations

import pytest

from jobrisk.features import _context, _masked
from jobrisk.normalize import normalize
from jobrisk.signals import analyze


def _view(text: str) -> str:
    norm = normalize(text)
    return _masked(norm.text, analyze(norm))


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("連絡は taro@example.com か 090-0000-1234 まで", "連絡は  xemailx  か  xphonex  まで"),
        ("応募は https://example.co.jp/entry から", "応募は  xurlx  から"),
        ("LINEのIDは example_kei です", "lineのidは  xidx  です"),  # the label stays, the ID goes
        ("インスタで sampletomoka を検索", "インスタで   を検索"),  # an ID without a label: dropped
        ("Python3とNode.jsの開発経験", "python3とnode.jsの開発経験"),  # other Latin runs stay
        ("ガイドラインに沿って作成", "ガイドラインに沿って作成"),
        ("前回の募集は https://crowdworks.jp/public/jobs/123 です", "前回の募集は  xplatformx  です"),
    ],
)
def test_word_view_text(text: str, view: str) -> None:
    assert _view(text) == view


def test_context_view_masks_only_the_picked_sentences() -> None:
    norm = normalize("納期は来週です。\nメールは taro@example.com までお願いします。報酬は1万円です")
    assert _context(norm.text, analyze(norm), mask=True) == "メールは  xemailx  までお願いします"
    assert _context(norm.text, analyze(norm)) == "メールは taro@example.com までお願いします"


def test_context_view_reads_a_placeholder_for_each_named_service() -> None:
    # what is done with a channel, not which channel: the lexicon features say which
    views = []
    for name in ("LINE", "Discord", "チャットワーク", "ｽﾗｯｸ"):
        norm = normalize(f"こんにちは。詳しくは{name}で連絡ください。よろしくお願いします")
        views.append(_context(norm.text, analyze(norm), mask=True, names=True))
    assert views == ["詳しくは xappx で連絡ください"] * 4
    # phrases that are no names stay, and the word view keeps the names
    norm = normalize("LINEスタンプ制作です。友だち追加は不要です")
    assert _context(norm.text, analyze(norm), mask=True, names=True) == " xappx スタンプ制作です\n友だち追加は不要です"
    assert _view("LINEスタンプ制作です") == "lineスタンプ制作です"
