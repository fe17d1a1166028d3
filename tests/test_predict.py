"""The public predict contract on the shipped default model."""

from __future__ import annotations

import math

import numpy as np
import pytest

import jobrisk
from jobrisk import Prediction, Span


def test_single_text_gives_one_prediction() -> None:
    text = "契約後はLINEでのやり取りになります。ID: example_01 を追加してください"
    p = jobrisk.predict(text)
    assert isinstance(p, Prediction)
    assert 0.0 <= p.score <= 1.0
    assert p.flagged is True
    assert p.channels == ("line",)
    assert p.evidence and all(isinstance(s, Span) for s in p.evidence)
    for span in p.evidence:
        assert text[span.start : span.end] == span.text


def test_list_in_list_out_same_order() -> None:
    texts = ["LINEスタンプ制作をお願いします", "LINEで連絡ください。ID: sample_22", "納品しました"]
    preds = jobrisk.predict(texts)
    assert isinstance(preds, list) and len(preds) == 3
    singles = [jobrisk.predict(t).score for t in texts]
    assert [p.score for p in preds] == pytest.approx(singles)
    assert preds[1].score > preds[0].score


@pytest.mark.parametrize("empty", [None, float("nan"), "", "   ", "\n\t　"])
def test_missing_texts_score_zero(empty: object) -> None:
    p = jobrisk.predict(empty)
    assert p.score == 0.0 and p.flagged is False and p.channels == () and p.evidence == ()


def test_missing_texts_keep_their_place_in_a_list() -> None:
    preds = jobrisk.predict(["LINE追加してね ID: sample_x", None, "", float("nan")])
    assert len(preds) == 4
    assert [p.score for p in preds[1:]] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("bad", [123, b"LINE", {"text": "x"}, 1.5])
def test_non_string_raises_type_error_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        jobrisk.predict([bad])


@pytest.mark.parametrize("bad", [123, b"LINE", {"text": "x"}, object()])
def test_non_string_single_input_names_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        jobrisk.predict(bad)


def test_model_api(default_model: jobrisk.JobRiskModel) -> None:
    scores = default_model.predict_proba(["LINEで連絡ください", "納品しました"])
    assert isinstance(scores, np.ndarray) and scores.shape == (2,)
    assert 0.0 < default_model.threshold < 1.0
    md = default_model.metadata
    assert {"versions", "data", "metrics_held_out", "created"} <= set(md)
    with pytest.raises(TypeError, match="list"):
        default_model.predict_proba("LINE")


def test_megabyte_text_works() -> None:
    text = ("案件の説明です。納期は来週です。" * 40_000) + "連絡はLINEでお願いします。ID: example_big"
    assert len(text) > 600_000
    p = jobrisk.predict(text)
    assert not math.isnan(p.score)


def test_bad_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="pre_contract"):
        jobrisk.predict("LINEで連絡ください", stage="after")


def test_long_lists_are_scored_in_slices_with_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    from jobrisk import model as model_module

    texts = ["LINEで連絡ください。ID: sample_22", None, "納品しました", "", "メールアドレスを教えて"] * 3
    whole = jobrisk.load_model()
    expected = whole.predict(texts)
    expected_proba = whole.predict_proba(texts)
    monkeypatch.setattr(model_module, "_SLICE", 4)  # 15 texts: four slices, the last one short
    assert whole.predict(texts) == expected
    assert np.array_equal(whole.predict_proba(texts), expected_proba)
    assert len(expected) == 15 and expected[1].score == 0.0
