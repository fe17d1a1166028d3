"""Explanations: spans inside the text, features present, for positives and hard negatives."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import jobrisk
from jobrisk.cli import main

CASES = [
    ("面談の日程調整のため、LINEを追加してください。ID: example_hana", True),
    ("詳しくは緑のアプリで！IDはプロフに書いてます", True),
    ("ＬＩＮＥ追加で報酬アップ！ＩＤ：ｓａｍｐｌｅ＿ｊｏｂ", True),
    ("LINEスタンプ16個の制作をお願いします。やり取りはこちらのメッセージでお願いします。", False),
]


@pytest.mark.parametrize(("text", "flagged"), CASES)
def test_explain_spans_and_features(default_model: jobrisk.JobRiskModel, text: str, flagged: bool) -> None:
    result = default_model.explain(text)
    assert result["flagged"] is flagged
    for span in result["evidence"]:
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert text[span["start"] : span["end"]] == span["text"]
    assert bool(result["evidence"]) is flagged
    assert result["features_for"] or result["features_against"]
    for item in result["features_for"]:
        assert item["weight"] > 0
    for item in result["features_against"]:
        assert item["weight"] < 0


def test_explain_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--json", CASES[0][0]]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["flagged"] and result["channels"] == ["line"]


def test_explain_cli_text_marks_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--color", "never", "--stage", "pre_contract", CASES[0][0]]) == 0
    out = capsys.readouterr().out
    assert "【【" in out and "violation" in out and "pushed up" in out


def test_explain_reads_stdin() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jobrisk", "explain", "--json"],
        input=CASES[1][0], capture_output=True, text=True, check=True,
    )
    assert json.loads(done.stdout)["flagged"] is True
