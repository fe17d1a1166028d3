"""The labeled corpus: schema, composition minimums, honest splits, fictitious contact data, rebuild."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from jobrisk.lexicon import CHANNELS
from jobrisk.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus.csv"
COLUMNS = ["id", "kind", "text", "label", "channels", "obfuscated", "hard_negative", "source",
           "group", "split"]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return pd.read_csv(CORPUS, dtype=str, keep_default_na=False, encoding="utf-8")


def test_schema(corpus: pd.DataFrame) -> None:
    assert list(corpus.columns[: len(COLUMNS)]) == COLUMNS
    assert corpus["id"].is_unique
    assert set(corpus["kind"]) == {"posting", "message"}
    assert set(corpus["label"]) == {"0", "1"}
    assert set(corpus["obfuscated"]) <= {"0", "1"}
    assert set(corpus["hard_negative"]) <= {"0", "1"}
    assert set(corpus["source"]) == {"handwritten", "composed", "augmented"}
    assert set(corpus["split"]) == {"train", "valid", "test"}
    assert (corpus["text"].str.strip() != "").all()


def test_channels_empty_exactly_when_label_is_zero(corpus: pd.DataFrame) -> None:
    empty = corpus["channels"] == ""
    assert (empty == (corpus["label"] == "0")).all()
    names = {c for v in corpus["channels"] for c in v.split(";") if c}
    assert names <= set(CHANNELS)
    assert not ((corpus["label"] == "0") & (corpus["obfuscated"] == "1")).any()
    assert not ((corpus["label"] == "1") & (corpus["hard_negative"] == "1")).any()


def test_composition_minimums(corpus: pd.DataFrame) -> None:
    n = len(corpus)
    assert n >= 8000
    kinds = corpus["kind"].value_counts(normalize=True)
    assert kinds["message"] >= 0.35 and kinds["posting"] >= 0.35
    share = (corpus["label"] == "1").mean()
    assert 0.30 <= share < 0.50  # negatives stay the majority
    assert (corpus["source"] == "handwritten").sum() >= 2000
    pos = corpus[corpus["label"] == "1"]
    neg = corpus[corpus["label"] == "0"]
    for channel in CHANNELS:
        count = pos["channels"].map(lambda v, c=channel: c in v.split(";")).sum()
        assert count >= 60, (channel, count)
    assert (pos["obfuscated"] == "1").mean() >= 0.30
    techniques = {t for v in pos["techniques"] for t in v.split(";") if t}
    assert len(techniques) >= 15, techniques
    assert (pos["register"] == "business").mean() >= 0.25
    assert (neg["hard_negative"] == "1").mean() >= 0.35
    themes = set(neg.loc[neg["hard_negative"] == "1", "theme"])
    assert len(themes) >= 25
    categories = set(neg.loc[neg["kind"] == "posting", "category"]) - {""}
    assert len(categories) >= 30


def test_no_group_crosses_splits(corpus: pd.DataFrame) -> None:
    per_group = corpus.groupby("group")["split"].nunique()
    assert (per_group == 1).all(), per_group[per_group > 1].head()


def test_test_split_holds_unseen_techniques(corpus: pd.DataFrame) -> None:
    def techniques(split: str) -> set[str]:
        rows = corpus.loc[corpus["split"] == split, "techniques"]
        return {t for v in rows for t in v.split(";") if t}

    assert techniques("test") - techniques("train")


def test_no_duplicates_or_near_duplicates_across_splits(corpus: pd.DataFrame) -> None:
    keys = corpus["text"].map(lambda t: re.sub(r"\s+", "", normalize_text(t)))
    split = corpus["split"].to_numpy()
    exact = pd.DataFrame({"key": keys, "split": split}).groupby("key")["split"].nunique()
    assert (exact == 1).all()
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(3, 3)).fit_transform(keys)
    for later, earlier in (("valid", ["train"]), ("test", ["train", "valid"])):
        rows = np.flatnonzero(split == later)
        ref = np.flatnonzero(np.isin(split, earlier))
        sims = (matrix[rows] @ matrix[ref].T).max(axis=1).toarray().ravel()
        assert sims.max() < 0.9, (later, float(sims.max()))


_EMAIL = re.compile(r"[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)")
# a host ends at its top-level domain (discord.app_commands is a module path)
_URL = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![a-z0-9_-])(/[\x21-\x7e]*)?")
_PHONE = re.compile(r"(?<![\d-])0\d{1,4}-?\d{1,4}-?\d{3,4}(?![\d-])")
_FICTITIOUS_HOSTS = re.compile(r"(?:^|\.)example\.(?:com|jp|net|org|co\.jp)$")
_SERVICE_HOSTS = ("lin.ee", "line.me", "discord.gg", "t.me", "wa.me", "forms.gle", "zoom.us",
                  "meet.google.com", "chatwork.com", "docs.google.com", "m.me", "instagram.com",
                  "tiktok.com", "x.com", "twitter.com", "facebook.com", "slack.com", "skype.com",
                  "notion.site", "www.chatwork.com", "calendly.com")


@pytest.mark.parametrize(
    "path",
    ["data/corpus.csv", *(f"eval/challenge{n}.csv" for n in ("", "2", "3", "4", "5", "6", "7", "8"))],
)
def test_contact_data_is_fictitious(path: str) -> None:
    frame = pd.read_csv(ROOT / path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = []
    for row_id, text in zip(frame["id"], frame["text"], strict=True):
        norm = normalize_text(text)
        plain = unicodedata.normalize("NFKC", text).lower()
        for m in _EMAIL.finditer(plain):
            if not _FICTITIOUS_HOSTS.search(m.group(1)):
                problems.append((row_id, m.group(0)))
        for m in _URL.finditer(plain):
            host, path = m.group(1), m.group(2) or ""
            if plain[max(0, m.start() - 1) : m.start()] in ("@", "●", "○", "〇", "*"):
                continue  # an e-mail domain, or a host with a masked character (exa●ple.org)
            if _FICTITIOUS_HOSTS.search(host):
                continue
            if re.search(r"example|sample|dummy|test|xxx", host + path):
                continue  # a fictitious account or ID
            if host in _SERVICE_HOSTS and not path.strip("/"):
                continue
            if not re.search(r"\.(?:com|jp|net|org|me|gg|ee|io|site|app|co)$", host):
                continue  # not a host (e.g. a file name like data.xlsx)
            problems.append((row_id, m.group(0)))
        for m in _PHONE.finditer(norm):
            digits = re.sub(r"\D", "", m.group(0))
            if len(digits) >= 10 and "0000" not in digits[2:] and not digits.startswith("0120000"):
                problems.append((row_id, m.group(0)))
    assert not problems, problems[:20]


def test_rebuild_reproduces_the_file(tmp_path: Path) -> None:
    out = tmp_path / "corpus.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_corpus.py"), "--output", str(out)],
        check=True, capture_output=True,
    )
    assert out.read_bytes() == CORPUS.read_bytes()
