"""`jobrisk evaluate`: metrics, slices, the keyword baseline, JSON and plots."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from jobrisk.cli import main
from jobrisk.evaluate import binary_metrics
from jobrisk.keyword import keyword_flags
from tests.conftest import NEGATIVES, POSITIVES


def test_binary_metrics_on_known_counts() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    flags = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    m = binary_metrics(y, flags, scores=np.array([0.9, 0.8, 0.3, 0.7, 0.2, 0.1, 0.1, 0.05]))
    assert m["confusion"] == {"tn": 4, "fp": 1, "fn": 1, "tp": 2}
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["fpr"] == pytest.approx(1 / 5)
    assert 0 < m["pr_auc"] <= 1


def test_keyword_filter_flags_words_not_meaning() -> None:
    flags = keyword_flags(["LINEスタンプ制作", "緑のアプリで連絡して", None, "オンライン"])
    assert flags.tolist() == [1, 0, 0, 1]


def test_cli_evaluate_with_slices_json_and_plots(
    tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "eval.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label", "kind", "obfuscated", "hard_negative", "channels"])
        for i, text in enumerate(POSITIVES):
            writer.writerow([text, 1, "posting" if i % 2 else "message", int("ＬＩＮＥ" in text), 0, "line"])
        for i, text in enumerate(NEGATIVES):
            writer.writerow([text, 0, "posting" if i % 2 else "message", 0, int("LINE" in text), ""])
    out_json = tmp_path / "report.json"
    plots = tmp_path / "plots"
    code = main(["evaluate", "--data", str(data), "--model", str(tiny_model), "--split", "all",
                 "--json", str(out_json), "--plots", str(plots)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "keyword filter" in printed and "hard_negative=1" in printed
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert {"model", "keyword_filter", "slices", "threshold"} <= set(report)
    assert report["model"]["n"] == len(POSITIVES) + len(NEGATIVES)
    assert "channel=line" in report["slices"] and "kind=posting" in report["slices"]
    assert (plots / "pr_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert (plots / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_evaluate_split_without_column_is_usage_error(
    tiny_model: Path, tiny_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "--data", str(tiny_csv), "--model", str(tiny_model)]) == 2
    assert "--split all" in capsys.readouterr().err
