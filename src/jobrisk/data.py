"""Reading and checking labeled training data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DataError", "data_hash", "read_labeled", "split_frame"]

MIN_ROWS = 20
MIN_PER_CLASS = 5


class DataError(ValueError):
    """Labeled data that cannot be used as it is; the message says how to fix it."""


def data_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_labeled(path: str | Path, text_column: str = "text", label_column: str = "label") -> pd.DataFrame:
    """Read a labeled CSV and check it: text column, 0/1 labels, both classes, enough rows.

    Returns a frame with at least ``text`` and ``label`` (int) columns plus the file's others.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"training data not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8; convert it (e.g. iconv -f CP932 -t UTF-8)") from exc
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise DataError(
                f"{path} has no column {column!r}; columns are: {', '.join(frame.columns)}. "
                f"Name the right one with --text-column / --label-column."
            )
    labels = frame[label_column].str.strip()
    bad = sorted(set(labels) - {"0", "1"})
    if bad:
        rows = (labels[~labels.isin(["0", "1"])].index[:5] + 2).tolist()
        raise DataError(
            f"labels in {label_column!r} must be 0 or 1; found {bad[:5]} (CSV lines {rows})"
        )
    frame = frame.rename(columns={text_column: "text"})
    frame["label"] = labels.astype(int).to_numpy()
    if len(frame) < MIN_ROWS:
        raise DataError(f"{path} has {len(frame)} rows; training needs at least {MIN_ROWS}")
    counts = frame["label"].value_counts()
    if len(counts) < 2:
        raise DataError(f"{path} has only label {counts.index[0]}; training needs both 0 and 1")
    if counts.min() < MIN_PER_CLASS:
        raise DataError(
            f"{path} has {counts.min()} rows of label {counts.idxmin()}; "
            f"training needs at least {MIN_PER_CLASS} of each"
        )
    return frame


def split_frame(frame: pd.DataFrame, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Train / valid / test parts: the ``split`` column if present, else a grouped random split
    (by ``group`` when present) of 70 / 15 / 15."""
    if "split" in frame.columns and set(frame["split"]) <= {"train", "valid", "test"}:
        parts = {name: frame[frame["split"] == name] for name in ("train", "valid", "test")}
        if len(parts["valid"]) and parts["valid"]["label"].nunique() == 2:
            return parts
    keys = frame["group"] if "group" in frame.columns else pd.Series(frame.index.astype(str))
    unique = np.array(sorted(set(keys)))
    rng = np.random.default_rng(seed)
    rng.shuffle(unique)
    n = len(unique)
    valid_keys = set(unique[: max(1, int(n * 0.15))])
    test_keys = set(unique[max(1, int(n * 0.15)) : max(2, int(n * 0.30))])
    where = keys.map(lambda k: "valid" if k in valid_keys else "test" if k in test_keys else "train")
    return {name: frame[where.to_numpy() == name] for name in ("train", "valid", "test")}
