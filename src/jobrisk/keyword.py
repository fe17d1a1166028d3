"""The plain NG-word filter that platforms start with: the baseline every report compares to."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

__all__ = ["NG_WORDS", "keyword_flags"]

# Case-insensitive substrings on the raw text, as a typical moderation rule list has them.
NG_WORDS: tuple[str, ...] = (
    "line", "ライン", "lineid", "公式line", "友だち追加", "友達追加", "chatwork", "チャットワーク",
    "slack", "discord", "telegram", "テレグラム", "skype", "whatsapp", "メール", "mail", "メアド",
    "電話", "tel", "携帯", "zoom", "instagram", "インスタ", "twitter", "tiktok", "facebook",
    "@", "http", "qrコード", "googleフォーム", "直接契約", "直接取引",
)
_NG_RE = re.compile("|".join(re.escape(w) for w in NG_WORDS), re.IGNORECASE)


def keyword_flags(texts: Iterable[object]) -> np.ndarray:
    """1 where a text contains any NG word, else 0 (missing texts give 0)."""
    return np.array(
        [int(isinstance(t, str) and _NG_RE.search(t) is not None) for t in texts], dtype=int
    )
