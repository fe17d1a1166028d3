"""Severity and contract-stage policy: turns a flagged prediction into something to act on.

The table is data. Override it with a dict or a TOML file that has the same keys::

    [channels]
    video_call = "medium"
    [rules]
    obfuscated = "high"

``channels`` gives each channel's severity; ``rules`` raises severity for an obfuscated
solicitation, a request for personal contact details or ID documents, and a direct-deal offer.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .lexicon import CHANNELS
from .patterns import alternation, word

__all__ = ["DEFAULT_POLICY", "STAGES", "STAGE_NAMES", "Policy", "load_policy"]

SEVERITIES = ("none", "low", "medium", "high")
STAGE_NAMES = ("pre_contract", "post_contract")
STAGES = (None, *STAGE_NAMES)

DEFAULT_POLICY: dict[str, Any] = {
    "channels": {
        "line": "high", "telegram": "high", "whatsapp": "high", "instagram": "high", "x": "high",
        "tiktok": "high", "facebook": "high", "other": "high", "phone": "medium",
        "email": "medium", "chatwork": "medium", "slack": "medium", "discord": "medium",
        "skype": "medium", "external_form": "medium", "external_site": "medium",
        "video_call": "low",
    },
    "rules": {"obfuscated": "high", "personal_details": "high", "direct_deal": "high"},
}

# A request for personal details: what (電話番号, 口座 ...), then within a few characters the ask.
# The ask follows each item so that every alternative starts with a literal (a fast scan).
_DETAILS = (
    "電話番号", "携帯番号", "番号", "メールアドレス", "メアド", "アドレス", "lineid", r"line\s*id",
    word("id", "[a-z]", after="(?![a-z])"), "住所", "本名", "フルネーム", "身分証", "免許証", "マイナンバー",
    "保険証", "口座",
)
_ASKED = r"(?:を|も|と)?[^。\n]{0,8}(?:教えて|お知らせ|送って|ご送付|お送り|提出|記入|ください|下さい|いただけ|頂け)"
_PERSONAL_DETAILS = re.compile(alternation(*(item + _ASKED for item in _DETAILS)))
_DIRECT_DEAL = re.compile(
    alternation(
        r"直接(?:契約|取引|お取引|やり取り|支払|振込|振り込)|手数料(?:が|を)?(?:もったいない|かからない|節約|浮|なし|抜き)",
        *(f"{site}(?:を)?(?:通さ|通じず|介さ|外で)" for site in ("サイト", "プラットフォーム")),
    )
)

_REASONS = {
    ("violation", "direct_deal"): "手数料を避ける直接取引の誘いです。契約の前後を問わず規約違反にあたります。",
    ("violation", None): "契約前にサービス外の連絡手段へ誘導しています({channels})。",
    ("needs_consent", None): "契約後の外部連絡の依頼です({channels})。ワーカーの同意が必要です。",
    ("review", None): "サービス外の連絡手段への誘導の可能性があります({channels})。内容を確認してください。",
    ("ok", None): "サービス外への誘導は見つかりませんでした。",
}
_CHANNEL_JA = {
    "line": "LINE", "chatwork": "Chatwork", "slack": "Slack", "discord": "Discord",
    "telegram": "Telegram", "skype": "Skype", "whatsapp": "WhatsApp", "email": "メール",
    "phone": "電話", "instagram": "Instagram", "x": "X", "tiktok": "TikTok",
    "facebook": "Facebook", "video_call": "ビデオ通話", "external_form": "外部フォーム",
    "external_site": "外部サイト", "other": "その他",
}


class Policy:
    """A severity table plus the stage rules."""

    def __init__(self, table: Mapping[str, Any] | None = None) -> None:
        merged = copy.deepcopy(DEFAULT_POLICY)
        for key, value in (table or {}).items():
            if key not in merged:
                raise ValueError(f"unknown policy section {key!r}; use 'channels' or 'rules'")
            if not isinstance(value, Mapping):
                raise ValueError(f"policy section {key!r} must be a table of name = severity")
            for name, severity in value.items():
                if key == "channels" and name not in CHANNELS:
                    raise ValueError(
                        f"unknown channel {name!r} in policy; known: {', '.join(CHANNELS)}"
                    )
                if key == "rules" and name not in DEFAULT_POLICY["rules"]:
                    raise ValueError(
                        f"unknown rule {name!r}; known: {', '.join(DEFAULT_POLICY['rules'])}"
                    )
                if severity not in SEVERITIES:
                    raise ValueError(
                        f"severity {severity!r} for {name!r} must be one of {', '.join(SEVERITIES)}"
                    )
                merged[key][name] = severity
        self.table = merged

    def severity(
        self, flagged: bool, channels: Iterable[str], obfuscated: bool, text: str
    ) -> tuple[str, bool]:
        """Severity of a prediction and whether it is a direct-deal offer."""
        if not flagged:
            return "none", False
        levels = [self.table["channels"].get(c, "medium") for c in channels] or ["medium"]
        rules = self.table["rules"]
        if obfuscated:
            levels.append(rules["obfuscated"])
        if _PERSONAL_DETAILS.search(text):
            levels.append(rules["personal_details"])
        direct = _DIRECT_DEAL.search(text) is not None
        if direct:
            levels.append(rules["direct_deal"])
        return max(levels, key=SEVERITIES.index), direct

    @staticmethod
    def verdict(
        flagged: bool, stage: str | None, channels: Iterable[str], direct_deal: bool
    ) -> tuple[str, str]:
        """``(verdict, reason)`` for a prediction at a contract stage."""
        if stage not in STAGES:
            raise ValueError(
                f"stage must be None, 'pre_contract' or 'post_contract', got {stage!r}"
            )
        names = "、".join(_CHANNEL_JA.get(c, c) for c in channels) or "不明"
        if not flagged:
            key: tuple[str, str | None] = ("ok", None)
        elif direct_deal and stage is not None:
            key = ("violation", "direct_deal")
        elif stage is None:
            key = ("review", None)
        elif stage == "pre_contract":
            key = ("violation", None)
        else:
            key = ("needs_consent", None)
        return key[0], _REASONS[key].format(channels=names)


def load_policy(source: Mapping[str, Any] | str | Path | Policy | None) -> Policy:
    """A :class:`Policy` from a dict, a TOML file path, an existing policy, or the default."""
    if isinstance(source, Policy):
        return source
    if source is None or isinstance(source, Mapping):
        return Policy(source)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"policy file not found: {path}")
    try:
        import tomllib
    except ModuleNotFoundError as exc:  # pragma: no cover - Python 3.10
        raise RuntimeError("reading a TOML policy needs Python 3.11+ (or pass a dict)") from exc
    with path.open("rb") as fh:
        try:
            return Policy(tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"policy file {path} is not valid TOML: {exc}") from exc
