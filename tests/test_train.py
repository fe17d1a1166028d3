"""Training: smoke test on a tiny CSV, determinism, and clear errors for bad data."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import jobrisk
from jobrisk.cli import main
from jobrisk.data import DataError, read_labeled
from jobrisk.train import train_model
from tests.conftest import NEGATIVES, POSITIVES


def _write(path: Path, rows: list[list[object]], header: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_tiny_model_separates_its_training_texts(tiny_model: Path) -> None:
    model = jobrisk.load_model(tiny_model)
    pos = model.predict_proba(POSITIVES)
    neg = model.predict_proba(NEGATIVES)
    assert pos.mean() > neg.mean() + 0.3


def test_same_data_and_seed_give_same_predictions(tiny_csv: Path, tiny_model: Path, tmp_path: Path) -> None:
    again, _ = train_model(tiny_csv, tmp_path / "again.skops", seed=0)
    first = jobrisk.load_model(tiny_model)
    texts = POSITIVES + NEGATIVES
    assert np.array_equal(first.predict_proba(texts), again.predict_proba(texts))


def test_cli_train_writes_model_and_card(tiny_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.skops"
    assert main(["train", "--data", str(tiny_csv), "--output", str(out)]) == 0
    assert out.is_file() and out.with_suffix(".md").is_file()
    assert "threshold" in capsys.readouterr().out
    card = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "→ word TF-IDF" in card and "character 1–4-gram TF-IDF of the sentences" in card
    assert "of the whole text" not in card  # the default model has no whole-text character view
    assert "contact data as placeholders; service names as a placeholder in the channel context" in card


def test_missing_column_lists_the_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", [["x", 1]] * 30, ["本文", "label"])
    with pytest.raises(DataError, match=r"no column 'text'.*本文"):
        read_labeled(path)


def test_labels_must_be_zero_or_one(tmp_path: Path) -> None:
    rows = [[t, 1] for t in POSITIVES] + [[t, "yes"] for t in NEGATIVES]
    path = _write(tmp_path / "b.csv", rows, ["text", "label"])
    with pytest.raises(DataError, match=r"must be 0 or 1.*yes"):
        read_labeled(path)


def test_one_class_only_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", [[t, 1] for t in POSITIVES + POSITIVES], ["text", "label"])
    with pytest.raises(DataError, match="only label 1"):
        read_labeled(path)


def test_too_few_rows_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", [[POSITIVES[0], 1], [NEGATIVES[0], 0]], ["text", "label"])
    with pytest.raises(DataError, match="at least"):
        read_labeled(path)


def test_cli_reports_bad_data_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "e.csv", [["x", 1]] * 30, ["body", "label"])
    code = main(["train", "--data", str(path), "--output", str(tmp_path / "m.skops")])
    assert code == 2
    assert "--text-column" in capsys.readouterr().err
