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


def _merged_one_by_one(tokens: list[str]) -> list[str]:
    """The compound merge spelled plainly: every position, longest compound first."""
    from jobrisk.tokenizer import COMPOUNDS

    out, i = [], 0
    while i < len(tokens):
        for k in range(min(4, len(tokens) - i), 1, -1):
            if "".join(tokens[i : i + k]) in COMPOUNDS:
                out.append("".join(tokens[i : i + k]))
                i += k
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def test_compound_merge_equals_the_plain_loop() -> None:
    import random

    from jobrisk.tokenizer import _merge_compounds

    rng = random.Random(0)
    pieces = ["チャット", "ワーク", "友だち", "追加", "登録", "公式", "ライン", "line", "公式line", "id",
              "web", "面談", "qr", "コード", "の", "を", "google", "フォーム", "メール", "アドレス"]
    for _ in range(3000):
        tokens = [rng.choice(pieces) for _ in range(rng.randint(0, 12))]
        assert _merge_compounds(tokens) == _merged_one_by_one(tokens), tokens


def _fresh_tagger_then_tokens(text: str) -> tuple[bool, list[str]]:
    from jobrisk import tokenizer

    return not tokenizer._TAGGER, JapaneseTokenizer()(text)


def test_a_forked_process_makes_its_own_tagger() -> None:
    import multiprocessing

    text = "LINEで連絡してください"
    expected = JapaneseTokenizer()(text)  # the parent has its Tagger now
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        fresh, tokens = pool.submit(_fresh_tagger_then_tokens, text).result()
    assert fresh and tokens == expected
