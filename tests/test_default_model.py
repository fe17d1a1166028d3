"""Behaviour of the shipped default model on texts written for these tests (not in the corpus)."""

from __future__ import annotations

import pytest

import jobrisk

CLEAR_POSITIVES = [
    "【在宅ワーク】スマホだけで月10万円！まずは公式LINEを友だち追加してください。",
    "ご応募ありがとうございます。以降のご連絡はLINEでお願いします。ID: example_haru",
    "面談はGoogle Meetで行います。候補日を3つ教えてください。",
    "採用後のやり取りはChatworkになります。招待を送るのでメールアドレスを教えてください。",
    "この案件の詳細は、弊社サイトの応募フォームに入力していただいた方にのみお送りします。https://example.com/entry",
    "ここだと手数料が高いので、直接お取引できませんか？連絡先は taro@example.com です。",
    "至急ご連絡ください。080-0000-4321（担当：山本）",
    "Telegramのほうが安全なので、そちらで続きを話しましょう。",
    "選考はZoomでのオンライン面接を予定しております。",
    "作品のご感想はInstagramのDMに送ってください！@sample_art",
]
OBFUSCATED_POSITIVES = [
    "詳細はＬＩＮＥでお送りします。ＩＤ：ｅｘａｍｐｌｅ＿ｍｉｋｉ",
    "ﾗｲﾝ登録した方から順に案内します",
    "L・I・N・Eで連絡ください！",
    "らいん交換しませんか？ID教えます",
    "L1NEの方に画像を送りますね、追加お願いします",
    "緑のアプリで連絡ください、IDはプロフィールに書いてあります",
    "メールはsample あっと example どっと jp までお願いします",
    "電話番号は〇九〇ー〇〇〇〇ー五五五五です。お気軽にどうぞ",
    "て れ ぐ ら む で話しましょう",
    "Ⓛⓘⓝⓔ追加で特典プレゼント",
]
HARD_NEGATIVES = [
    "LINEスタンプを24個制作していただける方を募集します。提案文に過去作を添えてご応募ください。",
    "LINE公式アカウントのリッチメニュー画像を作成してください。やり取りはこちらのメッセージで行います。",
    "オンライン英会話の教材作成をお願いします。ガイドラインは契約後に共有します。",
    "工場のライン作業マニュアルを英訳してください。",
    "Discord Botにスラッシュコマンドを追加する改修案件です。",
    "Zoomで録画した会議の文字起こしをお願いします（60分×2本）。",
    "メルマガの件名を20本考えてください。",
    "外部サービスへの誘導やLINE交換は一切行いません。ご安心ください。",
    "LINEでの連絡は必須ですか？できればこちらのメッセージで進めたいです。",
    "デッドラインが近いので、今週中の納品でお願いできますか。",
]


@pytest.mark.parametrize("text", CLEAR_POSITIVES)
def test_clear_positives_are_flagged(text: str) -> None:
    assert jobrisk.predict(text).flagged, text


@pytest.mark.parametrize("text", OBFUSCATED_POSITIVES)
def test_obfuscated_positives_are_flagged(text: str) -> None:
    assert jobrisk.predict(text).flagged, text


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_are_not_flagged(text: str) -> None:
    assert not jobrisk.predict(text).flagged, text


def test_evidence_points_at_the_request_not_the_job_title() -> None:
    text = "LINEスタンプ制作のお仕事です。\n打ち合わせのため、LINE追加お願いします。ID: example_st"
    p = jobrisk.predict(text)
    assert p.flagged
    title_end = text.index("\n")
    assert all(span.start > title_end for span in p.evidence), p.evidence


@pytest.mark.parametrize(
    ("fictitious", "other"),
    [
        ("LINEのIDは example_kei です。追加してください", "LINEのIDは taro_1234 です。追加してください"),
        ("連絡は example@example.com まで", "連絡は yamada.hanako@mail.example.net まで"),
        ("応募は https://example.co.jp/entry から", "応募は https://abc-recruit.co.jp/entry から"),
        ("参考サイト https://example.jp/sample", "参考サイト https://kurashi-design.jp/works"),
        ("090-0000-1234に電話ください", "090-3141-5926に電話ください"),
    ],
)
def test_score_does_not_depend_on_how_contact_data_is_spelled(fictitious: str, other: str) -> None:
    # the corpus writes contact data with example / sample / 0000 only; the model must not learn
    # them (only the text length, one lexicon feature, differs between the two)
    first, second = jobrisk.load_model().predict_proba([fictitious, other])
    assert first == pytest.approx(second, abs=0.01)


def test_an_id_without_a_label_scores_about_the_same_as_a_fictitious_one() -> None:
    # no pattern finds an ID given without a label: the corpus's fictitious one is left out of the
    # views, another one is read as text (its letters feed the character n-grams), so the two may
    # differ a little, but both are flagged
    first, second = jobrisk.load_model().predict_proba(
        ["インスタで sampletomoka を検索してね", "インスタで hanakotomoka を検索してね"]
    )
    assert min(first, second) >= jobrisk.load_model().threshold
    assert first == pytest.approx(second, abs=0.02)
