"""The channel lexicon: its fast first-character guard finds the same mentions as the plain
alternation, and signals tell requests from refusals and work subjects."""

from __future__ import annotations

import re

import pytest

from jobrisk import lexicon
from jobrisk.normalize import normalize
from jobrisk.signals import analyze
from tests.conftest import normalized_sample_texts


@pytest.mark.parametrize(
    "pattern",
    [lexicon._CHANNEL_RE, lexicon.PHONE_RE, lexicon.HANDLE_RE, lexicon.REQUEST_RE, lexicon.NEGATION_RE,
     lexicon.TOPIC_RE],
    ids=["channels", "phone", "handle", "request", "negation", "topic"],
)
def test_every_alternative_starts_with_a_literal_character(pattern: re.Pattern[str]) -> None:
    # what lets the regex engine skip the positions where no alternative can start
    from re import _constants, _parser

    (op, (_, alternatives)), = _parser.parse(pattern.pattern).data
    assert op is _constants.BRANCH
    for alternative in alternatives:
        assert alternative.data[0][0] is _constants.LITERAL, alternative


def test_one_alternation_finds_what_the_channel_patterns_find() -> None:
    plain = re.compile(
        "|".join(f"(?P<{n}>{'|'.join(alts)})" for n, alts in lexicon._CHANNEL_PATTERNS.items())
    )
    for text in normalized_sample_texts():
        expected = [(m.lastgroup, m.span()) for m in plain.finditer(text)]
        got = [(h.channel, (h.start, h.end)) for h in lexicon.find_channel_hits(text) if not h.contact]
        assert got == expected, text[:80]


def test_handle_pattern_matches_its_plain_spelling() -> None:
    plain = re.compile(
        r"(?:(?<![a-z])id|(?<=line)id|アイディー|アカウント名|ユーザー名|ユーザーネーム)\s*[:：は]?\s*[「『]?[@＠]?"
        r"[a-z0-9][a-z0-9._-]{2,}|(?<![a-z0-9.])@[a-z0-9_][a-z0-9._]{2,}(?![a-z0-9]*\.[a-z])"
    )
    extra = ["lineid:example_01", "xid: example", "paid id example", "アイディーは sample_1", "@sample_shop",
             "a@example.com", "mail.@test_1", "ユーザーネーム「dummy-22」", "アカウント名：example.x"]
    for text in [*normalized_sample_texts(), *extra]:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in lexicon.HANDLE_RE.finditer(text)] == expected, text[:80]


def test_contact_hints_skip_no_contact_data() -> None:
    for text in [*normalized_sample_texts(), "id:example_01", "連絡は taro@example.com へ", "www.example.jp"]:
        for hint, regex, _ in lexicon._CONTACT_PATTERNS:
            if regex.search(text):
                assert hint is None or hint(text), (regex.pattern[:30], text[:80])


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("ラインで連絡ください", ["line"]),
        ("オンラインで完結、ガイドラインに沿ってライン作業", []),
        ("緑のアプリで話そう", ["line"]),
        ("履歴書は taro@example.com まで", ["email"]),  # the address is not also a URL
        ("LINE ID: example_kei を追加", ["line", "line"]),  # the handle belongs to LINE
        ("LINEのIDは example_kei です", ["line", "line"]),  # an ID after a Japanese particle
        ("valid な paid 広告", []),  # "id" inside a word is no ID
        ("連絡はLarkでお願いします", ["other"]),  # workspace chat tools outside the channel list
        ("Google Chatのスペースに招待します", ["other"]),
        ("クラークの求人、スパークリング", []),  # ラーク inside other katakana words is not Lark
        ("IGのDMで連絡ください", ["instagram"]),  # the usual abbreviation
        ("big data の analysis", []),
        ("smartphone の tg-3 型番", []),  # phone inside a word; tg only as a word
        ("logo_final.jpg と spec.pdf を添付します", []),  # file names are no hosts
        ("discord.app_commands.errors.CommandInvokeError が出ます", ["discord"]),  # nor dotted code names
        ("詳細は example.co.jp/recruit へ", ["external_site"]),
        ("適格請求書の登録番号をお知らせください", []),  # a business number, not a phone number
        ("携帯の番号を教えてください", ["phone", "phone"]),
        ("今後は直接のお取引に移行できればと思います", ["other"]),
        ("プロフィール欄を必ずご確認ください", ["other"]),
        ("添付のQRコードから参加をお願いします", ["line"]),  # a QR code to join: LINE's way
        ("紙飛行機のアイコンのアプリで連絡ください", ["telegram"]),
        ("前回の募集ページ https://crowdworks.jp/public/jobs/1234567 と同じ条件です", []),  # the platform itself
        ("サービスページ coconala.com/services/123 と https://example.jp/a", ["external_site", "external_site"]),
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
    warned, = analyze(normalize("電話番号を聞かれても答えないでください"))
    assert warned.negated  # a warning not to comply keeps contact on the platform
    subject, = analyze(normalize("スカイプ英会話の教材の英訳"))
    assert subject.topic
    invited, = analyze(normalize("ライン交換しませんか"))
    assert invited.requested and not invited.negated  # a negative question invites
    declined, = analyze(normalize("ライン交換はしません"))
    assert declined.negated
    unable, = analyze(normalize("Zoomは使えません、テキストでお願いします"))
    assert unable.negated
    group, = analyze(normalize("関係者だけのLINEグループを作りました。今日中に参加をお願いします！"))
    assert group.requested  # the ask comes in the next sentence
    kept, = analyze(normalize("LINEのスタンプ、かわいいですね。修正はこちらのメッセージでお願いします"))
    assert not kept.requested  # the next sentence keeps contact here


@pytest.mark.parametrize(
    ("text", "channel", "requested", "negated"),
    [
        ("Add me on LINE when you can", "line", True, False),
        ("hmu on tg, it's faster", "telegram", True, False),
        ("Just call me on my phone tonight", "phone", True, False),
        ("Please don't use LINE for this", "line", True, True),
        ("No Zoom calls please, let's keep it on the platform", "video_call", True, True),
        ("Build a Discord bot in Python", "discord", False, False),  # the service is the work
    ],
)
def test_english_requests_and_refusals(text: str, channel: str, requested: bool, negated: bool) -> None:
    signal, = [s for s in analyze(normalize(text)) if s.channel == channel]
    assert (signal.requested, signal.negated) == (requested, negated)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("https://example.com/spec.pdf の仕様書を確認してください", True),  # a file: material for the work
        ("資料は https://drive.google.com/file/d/example/view です", True),
        ("https://example.com/entry から応募してください", False),  # a page to apply at
        ("応募フォーム https://docs.google.com/forms/d/example/viewform", False),
    ],
)
def test_links_to_files_are_no_place_to_go(text: str, negated: bool) -> None:
    links = [s for s in analyze(normalize(text)) if s.channel == "external_site" or s.contact == "url"]
    assert links and all(s.negated is negated for s in links)


@pytest.mark.parametrize(
    ("text", "disguised"),
    [
        ("LINEで連絡ください", False),
        ("ＬＩＮＥで連絡ください", False),  # width alone is no disguise
        ("スラックに招待します", False),  # the ordinary katakana name
        ("ﾃﾞｨｽｺｰﾄﾞに招待します", False),
        ("らいんで連絡ください", True),  # a hiragana reading
        ("えるあいえぬいーで連絡ください", True),  # spelled out letter by letter
        ("L1NEで連絡ください", True),
        ("緑のアプリで連絡ください", True),
    ],
)
def test_disguised_spellings(text: str, disguised: bool) -> None:
    assert analyze(normalize(text))[0].disguised is disguised
