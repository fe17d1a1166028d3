"""What the word and context views read: contact data as placeholders, no fictitious-data words."""

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
    ],
)
def test_word_view_text(text: str, view: str) -> None:
    assert _view(text) == view


def test_context_view_masks_only_the_picked_sentences() -> None:
    norm = normalize("納期は来週です。\nメールは taro@example.com までお願いします。報酬は1万円です")
    assert _context(norm.text, analyze(norm), mask=True) == "メールは  xemailx  までお願いします"
    assert _context(norm.text, analyze(norm)) == "メールは taro@example.com までお願いします"
