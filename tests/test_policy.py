"""Severity table, contract-stage verdicts and user-overridden policy."""

from __future__ import annotations

from pathlib import Path

import pytest

import jobrisk
from jobrisk.lexicon import CHANNELS
from jobrisk.policy import DEFAULT_POLICY, Policy, load_policy


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_has_a_severity(channel: str) -> None:
    severity, _ = Policy().severity(True, [channel], obfuscated=False, text="")
    assert severity == DEFAULT_POLICY["channels"][channel]


@pytest.mark.parametrize(
    ("channel", "expected"),
    [("line", "high"), ("telegram", "high"), ("whatsapp", "high"), ("instagram", "high"),
     ("x", "high"), ("tiktok", "high"), ("facebook", "high"), ("chatwork", "medium"),
     ("slack", "medium"), ("discord", "medium"), ("skype", "medium"),
     ("external_form", "medium"), ("external_site", "medium"), ("video_call", "low")],
)
def test_default_levels(channel: str, expected: str) -> None:
    assert Policy().severity(True, [channel], False, "")[0] == expected


def test_not_flagged_is_none() -> None:
    assert Policy().severity(False, ["line"], True, "")[0] == "none"


def test_rules_raise_severity() -> None:
    policy = Policy()
    assert policy.severity(True, ["video_call"], True, "")[0] == "high"  # obfuscated
    assert policy.severity(True, ["email"], False, "電話番号を教えてください")[0] == "high"
    severity, direct = policy.severity(True, ["email"], False, "手数料がもったいないので直接契約しませんか")
    assert severity == "high" and direct


def test_highest_channel_wins() -> None:
    assert Policy().severity(True, ["video_call", "line"], False, "")[0] == "high"


@pytest.mark.parametrize(
    ("flagged", "stage", "direct", "verdict"),
    [
        (False, None, False, "ok"),
        (False, "pre_contract", False, "ok"),
        (True, None, False, "review"),
        (True, "pre_contract", False, "violation"),
        (True, "post_contract", False, "needs_consent"),
        (True, "post_contract", True, "violation"),
    ],
)
def test_stage_verdicts(flagged: bool, stage: str | None, direct: bool, verdict: str) -> None:
    got, reason = Policy.verdict(flagged, stage, ["line"], direct)
    assert got == verdict
    assert reason and reason.isprintable()


def test_predict_with_stage() -> None:
    text = "ご契約ありがとうございます。今後の連絡はLINEでお願いします。ID: example_kei"
    pre = jobrisk.predict(text, stage="pre_contract")
    post = jobrisk.predict(text, stage="post_contract")
    none = jobrisk.predict(text)
    assert (pre.verdict, post.verdict, none.verdict) == ("violation", "needs_consent", "review")
    assert "同意" in post.reason and "LINE" in pre.reason
    assert pre.severity == "high"


def test_user_policy_from_dict_and_toml(tmp_path: Path) -> None:
    text = "選考はZoomでの面談を予定しています。URLは後日お送りします。"
    assert jobrisk.load_model().predict(text).severity == "low"
    model = jobrisk.load_model(policy={"channels": {"video_call": "medium"}})
    assert model.predict(text).severity == "medium"
    toml = tmp_path / "policy.toml"
    toml.write_text('[channels]\nvideo_call = "high"\n', encoding="utf-8")
    assert jobrisk.load_model(policy=toml).predict(text).severity == "high"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"channels": {"pigeon": "high"}}, "unknown channel"),
        ({"channels": {"line": "severe"}}, "must be one of"),
        ({"colours": {}}, "unknown policy section"),
        ({"rules": {"rude": "high"}}, "unknown rule"),
    ],
)
def test_bad_policy_is_refused(table: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_policy(table)


def test_severity_patterns_find_what_their_plain_spelling_finds() -> None:
    import re

    from jobrisk import policy
    from tests.conftest import normalized_sample_texts

    plain = re.compile(
        r"(?:電話番号|携帯番号|番号|メールアドレス|メアド|アドレス|lineid|line\s*id|(?<![a-z])id(?![a-z])|住所|"
        r"本名|フルネーム|身分証|免許証|マイナンバー|保険証|口座)(?:を|も|と)?[^。\n]{0,8}"
        r"(?:教えて|お知らせ|送って|ご送付|お送り|提出|記入|ください|下さい|いただけ|頂け)"
    )
    direct = re.compile(
        r"直接(?:契約|取引|お取引|やり取り|支払|振込|振り込)|手数料(?:が|を)?(?:もったいない|かからない|節約|浮|なし|抜き)"
        r"|(?:サイト|プラットフォーム)(?:を)?(?:通さ|通じず|介さ|外で)"
    )
    texts = [*normalized_sample_texts(), "idを教えて", "paid を教えて", "line id 送ってください", "口座も記入",
             "サイトを通さずに", "プラットフォーム外で", "手数料浮くので"]
    for text in texts:
        assert (policy._PERSONAL_DETAILS.search(text) is None) == (plain.search(text) is None), text[:80]
        assert (policy._DIRECT_DEAL.search(text) is None) == (direct.search(text) is None), text[:80]
