"""The tokenizer pickles, works in worker processes and keeps channel compounds whole."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

from jobrisk.tokenizer import JapaneseTokenizer


def _tokenize(text: str) -> list[str]:
    return JapaneseTokenizer()(text)


def test_tokenizes_japanese_and_keeps_one_character_tokens() -> None:
    tokens = JapaneseTokenizer()("報酬は1件100円です")
    assert "は" in tokens
    assert "円" in tokens


def test_channel_compounds_stay_whole() -> None:
    tokens = JapaneseTokenizer()("チャットワークで連絡し、公式ラインを友だち追加")
    assert "チャットワーク" in tokens
    assert "友だち追加" in tokens


def test_pickle_round_trip_tokenizes_the_same() -> None:
    tok = JapaneseTokenizer()
    text = "オンライン面談はgoogleフォームから申し込んでください"
    first = tok(text)
    clone = pickle.loads(pickle.dumps(tok))
    assert clone(text) == first


def test_works_in_a_process_pool() -> None:
    texts = ["LINEで連絡ください", "納品物をご確認ください", "Zoomで面談しましょう"]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_tokenize, texts))
    assert results == [_tokenize(t) for t in texts]
