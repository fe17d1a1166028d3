"""Japanese word tokenizer on fugashi + unidic-lite, safe to pickle and to use in worker processes."""

from __future__ import annotations

import os
import re
from itertools import compress
from typing import Any

from .patterns import alternation

__all__ = ["JapaneseTokenizer"]

# Compounds that MeCab splits but that must stay one feature (on normalized text).
COMPOUNDS: frozenset[str] = frozenset(
    {
        "チャットワーク", "テレグラム", "ディスコード", "インスタグラム", "フェイスブック", "スカイプ",
        "ワッツアップ", "ティックトック", "オープンチャット", "公式ライン", "公式line", "line公式",
        "友だち追加", "友達追加", "友だち登録", "友達登録", "web面談", "web面接", "オンライン面談",
        "オンライン面接", "ビデオ通話",
        "googleフォーム", "応募フォーム", "メールアドレス", "電話番号", "携帯番号", "直接契約",
        "直接取引", "ショートメール", "lineid", "qrコード", "採用サイト", "公式サイト",
    }
)
_MAX_PARTS = 4
# Finds every compound, also with white space inside (tokens are joined without it): a text
# without a match cannot need a merge, and most texts are skipped without the token loop.
_MAY_HOLD_COMPOUND = re.compile(
    alternation(*(r"\s*".join(map(re.escape, c)) for c in sorted(COMPOUNDS, key=len, reverse=True)))
)

_TAGGER: list[Any] = []  # this process's Tagger, once made (a Tagger cannot be pickled or forked)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_TAGGER.clear)  # a forked child makes its own


def _tagger() -> Any:
    """This process's Tagger, created on first use."""
    if not _TAGGER:
        try:
            import fugashi
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise ImportError(
                "jobrisk needs fugashi and unidic-lite: pip install 'fugashi' 'unidic-lite'"
            ) from exc
        try:
            tagger = fugashi.Tagger("-Owakati")  # surfaces only: much faster than node objects
        except RuntimeError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError(
                "fugashi could not load a dictionary; install one with: pip install unidic-lite"
            ) from exc
        _TAGGER.append(tagger)
    return _TAGGER[0]


class JapaneseTokenizer:
    """Split (normalized) Japanese text into surface-form tokens.

    One-character tokens (を, に, 円) are kept; whitespace is dropped; consecutive tokens that
    form a channel compound (チャット + ワーク) are merged into one. Instances hold no Tagger, so
    they pickle, and each process creates its own Tagger lazily.
    """

    def __call__(self, text: str) -> list[str]:
        tokens = (_TAGGER[0] if _TAGGER else _tagger()).parse(text).split()
        return _merge_compounds(tokens) if _MAY_HOLD_COMPOUND.search(text) else tokens

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        del state

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JapaneseTokenizer)

    def __hash__(self) -> int:
        return hash(JapaneseTokenizer)

    def __repr__(self) -> str:
        return "JapaneseTokenizer()"


# Every string that a compound starts with: a token outside this set cannot begin a merge.
_PREFIXES: frozenset[str] = frozenset(c[:i] for c in COMPOUNDS for i in range(1, len(c)))


def _merge_compounds(tokens: list[str]) -> list[str]:
    """``tokens`` with each run of 2–4 tokens that spells a compound joined into one (longest
    first, left to right). Only tokens that can start a compound are looked at (found in C)."""
    out: list[str] = []
    n = len(tokens)
    done = 0  # tokens before this index are in ``out``
    for i in compress(range(n), map(_PREFIXES.__contains__, tokens)):
        if i < done:
            continue  # part of a compound merged already
        for k in range(min(_MAX_PARTS, n - i), 1, -1):
            joined = "".join(tokens[i : i + k])
            if joined in COMPOUNDS:
                out += tokens[done:i]
                out.append(joined)
                done = i + k
                break
    out += tokens[done:]
    return out
