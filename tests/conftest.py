"""Shared fixtures: the shipped default model and a tiny labeled CSV written for the tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import jobrisk

POSITIVES = [
    "契約後はLINEでのやり取りになります。ID: example_01 を追加してください",
    "詳しい条件は公式LINEでお伝えします。友だち追加をお願いします。",
    "応募はこちらのGoogleフォームからお願いします https://forms.gle/example123",
    "選考はZoomでのWeb面談を30分ほど予定しています。URLは後ほど送ります。",
    "業務連絡はChatworkで行いますので、アカウントを作成して申請してください。",
    "手数料がもったいないので直接契約しませんか？メールは taro@example.com です。",
    "急ぎの連絡は携帯 090-0000-1234 までお電話ください。",
    "Telegramで詳細を送りますので、@example_bot を検索して登録してね",
    "ポートフォリオは recruit@example.jp 宛にお送りください。",
    "インスタのDMで続きを話しましょう！アカウントは @sample_shop です",
    "Discordサーバーに招待するので参加してください https://discord.gg/example99",
    "弊社採用サイトのエントリーフォームからご応募ください。https://example.com/recruit",
    "スカイプで面接します。IDを教えていただけますか",
    "WhatsAppで連絡お願いします wa.me/example",
    "緑のアプリで検索してね。IDは sample と _job をつなげたもの",
    "ＬＩＮＥ登録で日給３万円！プロフィールのリンクから追加",
    "Slackのワークスペースに招待しますので、メールアドレスを教えてください。",
    "詳細はこちらのURLからご確認のうえ、ご登録ください https://example.jp/lp",
    "らいんで話そう！ID: dummy_girl22",
    "今後のやり取りはメールでお願いします。info@example.net",
]
NEGATIVES = [
    "LINEスタンプ制作のお仕事です。40個のスタンプを作成していただきます。",
    "LINE公式アカウントの運用代行をお願いします。配信文の作成と予約配信が主な業務です。",
    "オンラインで完結するお仕事です。ガイドラインに沿って記事を書いてください。",
    "やり取りはすべてこちらのメッセージ機能でお願いします。外部への誘導は禁止です。",
    "Discord Botの開発をお願いします。コマンドの追加とログ出力が必要です。",
    "Zoom録画の文字起こし案件です。1本30分程度、納期は3日です。",
    "メルマガの執筆をお願いします。週1回、2000文字程度です。",
    "電話受付代行の業務マニュアルを作成してください。",
    "生産ラインの改善提案資料の作成をお願いします。",
    "商品ラインナップの紹介文を10本書いていただきます。",
    "デッドラインは今月末です。よろしくお願いします。",
    "データ入力のお仕事です。1件10円、Excelへの転記作業です。",
    "ロゴデザインを募集します。提案文に実績を記載してご応募ください。",
    "納品ありがとうございました。検収いたしましたので評価をお願いします。",
    "仮払いが完了しましたので、作業を開始してください。",
    "LINEの登録は必須でしょうか？規約上、外部での連絡はできかねます。",
    "Instagram投稿代行の案件です。画像作成とキャプション作成をお願いします。",
    "修正点を3つお送りします。ご確認ください。",
    "ZoomやSlackの操作に抵抗がない方を歓迎します。連絡はサイト内で行います。",
    "ライン作業の経験がある方歓迎。工場の作業手順書を翻訳してください。",
]


@pytest.fixture(scope="session")
def default_model() -> jobrisk.JobRiskModel:
    return jobrisk.load_model()


@pytest.fixture(scope="session")
def tiny_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "tiny.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for text in POSITIVES:
            writer.writerow([text, 1])
        for text in NEGATIVES:
            writer.writerow([text, 0])
    return path


@pytest.fixture(scope="session")
def tiny_model(tiny_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jobrisk.train import train_model

    out = tmp_path_factory.mktemp("model") / "tiny.skops"
    train_model(tiny_csv, out, seed=0)
    return out


def normalized_sample_texts(n: int = 1500) -> list[str]:
    """Normalized texts of a corpus sample and both challenge sets: real inputs for checks that
    a fast pattern matches what its plain spelling matches."""
    import pandas as pd

    from jobrisk.normalize import normalize_text

    root = Path(__file__).resolve().parents[1]
    texts = pd.read_csv(root / "data" / "corpus.csv", dtype=str, keep_default_na=False)["text"]
    texts = texts.sample(n, random_state=0).tolist()
    for name in ("challenge.csv", "challenge2.csv"):
        texts += pd.read_csv(root / "eval" / name, dtype=str)["text"].tolist()
    return [normalize_text(t) for t in texts]
