"""Training: labeled CSV → fitted model with a validated threshold and a model card."""

from __future__ import annotations

import datetime as _dt
import logging
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.pipeline import Pipeline

from .data import data_hash, read_labeled, split_frame
from .evaluate import evaluate_frame
from .features import JobRiskFeatures
from .model import JobRiskModel

__all__ = ["build_pipeline", "choose_threshold", "train_model"]

log = logging.getLogger(__name__)

DEFAULT_PRECISION_TARGET = 0.95


def build_pipeline(seed: int = 0, min_df: int = 2, n_rows: int = 10_000) -> Pipeline:
    """The untrained feature + calibrated logistic-regression pipeline."""
    folds = 5 if n_rows >= 200 else 3
    clf = CalibratedClassifierCV(
        LogisticRegression(C=16.0, class_weight="balanced", solver="liblinear", max_iter=2000),
        method="sigmoid",
        cv=folds,
    )
    return Pipeline([("features", JobRiskFeatures(min_df=min_df)), ("clf", clf)])


def choose_threshold(y: np.ndarray, scores: np.ndarray, precision_target: float) -> float:
    """The lowest threshold whose precision on ``(y, scores)`` reaches the target (highest
    recall); the F1-best threshold when no threshold reaches it."""
    precision, recall, thresholds = precision_recall_curve(y, scores)
    precision, recall = precision[:-1], recall[:-1]
    ok = np.flatnonzero(precision >= precision_target)
    if len(ok):
        return float(thresholds[ok[0]])
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    log.warning("no threshold reaches precision %.2f; using the F1-best one", precision_target)
    return float(thresholds[int(np.argmax(f1))])


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("jobrisk", "scikit-learn", "numpy", "scipy", "fugashi", "unidic-lite", "skops"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "unknown"
    return out


def train_model(
    data: str | Path,
    output: str | Path,
    text_column: str = "text",
    label_column: str = "label",
    seed: int = 0,
    precision_target: float = DEFAULT_PRECISION_TARGET,
) -> tuple[JobRiskModel, dict[str, Any]]:
    """Train on ``data``, pick the threshold on its validation split, write model and card.

    Returns the model and the held-out evaluation report.
    """
    frame = read_labeled(data, text_column, label_column)
    parts = split_frame(frame, seed=seed)
    train, valid, test = parts["train"], parts["valid"], parts["test"]
    log.info("training on %d rows (valid %d, test %d)", len(train), len(valid), len(test))
    min_df = 2 if len(train) >= 200 else 1
    pipeline = build_pipeline(seed=seed, min_df=min_df, n_rows=len(train))
    pipeline.fit(train["text"].tolist(), train["label"].to_numpy())
    probe = JobRiskModel(pipeline, 0.5)
    if len(valid) and valid["label"].nunique() == 2:
        threshold = choose_threshold(
            valid["label"].to_numpy(), probe.predict_proba(valid["text"].tolist()), precision_target
        )
    else:
        log.warning("no usable validation split; threshold stays 0.5")
        threshold = 0.5
    held_out = test if len(test) and test["label"].nunique() == 2 else valid
    model = JobRiskModel(pipeline, threshold)
    report = evaluate_frame(model, held_out)
    metrics = {k: v for k, v in report["model"].items() if k != "confusion"}
    model.metadata = {
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "data": {
            "path": Path(data).name, "sha256": data_hash(data), "rows": len(frame),
            "train": len(train), "valid": len(valid), "test": len(test),
            "label_1_share": round(float(frame["label"].mean()), 4),
        },
        "seed": seed,
        "precision_target": precision_target,
        "threshold": threshold,
        "metrics_held_out": metrics,
        "keyword_filter_held_out": {
            k: v for k, v in report["keyword_filter"].items() if k != "confusion"
        },
        "versions": _versions(),
    }
    output = Path(output)
    model.save(output)
    output.with_suffix(".md").write_text(model_card(model, report), encoding="utf-8")
    log.info("wrote %s (threshold %.4f)", output, threshold)
    return model, report


def model_card(model: JobRiskModel, report: dict[str, Any]) -> str:
    """The Markdown model card for a freshly trained model."""
    md = model.metadata
    d = md["data"]
    m, k = report["model"], report["keyword_filter"]
    c = m["confusion"]

    def slice_line(name: str) -> str:
        s = report["slices"].get(name)
        if not s:
            return f"| {name} | - | - | - | - |"
        sm = s["model"]
        return (
            f"| {name} | {sm['n']} | {sm['precision']:.3f} | {sm['recall']:.3f} | {sm['fpr']:.3f} |"
        )

    pr_auc, roc_auc = m.get("pr_auc", float("nan")), m.get("roc_auc", float("nan"))
    clf = model.pipeline.named_steps["clf"]
    feats = model.pipeline.named_steps["features"]
    (w1, w2), (x1, x2) = feats.word_ngram_range, feats.context_ngram_range
    words = "word" if (w1, w2) == (1, 1) else f"word {w1}–{w2}-gram"
    masked = "; contact data as placeholders" if getattr(feats, "mask_contacts", False) else ""
    if getattr(feats, "mask_channels", False):
        masked += "; service names as a placeholder in the channel context"
    char = ""
    if feats.char_ngram_range is not None:
        c1, c2 = feats.char_ngram_range
        char = f"character {c1}–{c2}-gram TF-IDF of the whole text, "
    versions = ", ".join(f"{k_} {v}" for k_, v in md["versions"].items())
    return f"""# jobrisk model card

Created {md['created']} by `jobrisk train` (seed {md['seed']}).

## Intended use
Flags Japanese freelance-platform job postings and messages that ask the reader to move contact
off the platform (LINE, Chatwork, e-mail, phone, video calls, external forms, ...), as defined in
LABELING.md. Use it to prioritise human review and to warn workers; the score is a calibrated
probability and the flag uses the stored threshold. Policy (what is allowed at which contract
stage) is decided downstream.

## Limits
- Trained on a corpus written by the jobrisk team, not on real platform data; real postings and
  new evasion tricks will differ. Monitor precision on your own data and retrain.
- Written for Japanese; English or mixed-language texts are covered by channel names, common English
  requests and refusals (add me, join, don't) and a few hundred training texts, far fewer than Japanese.
- Obfuscation that the normalizer does not undo (images, new euphemisms) is caught only when the
  surrounding wording gives it away.

## Model
Normalized text (NFKC, de-obfuscation, canonical channel names{masked}) → {words} TF-IDF
(fugashi + unidic-lite), {char}character {x1}–{x2}-gram TF-IDF of the sentences
that name a channel, and channel-lexicon signals → logistic regression (C={clf.estimator.C:g},
balanced classes) with {clf.cv}-fold sigmoid calibration. Saved as a skops archive that loads
without running code.

## Data
- file `{d['path']}`, sha256 `{d['sha256']}`
- {d['rows']} rows (train {d['train']}, valid {d['valid']}, test {d['test']}); label-1 share {d['label_1_share']:.2%}

## Threshold
{model.threshold:.4f}: the lowest threshold reaching precision {md['precision_target']:.2f} on the
validation split.

## Held-out metrics (test split)
| | precision | recall | F1 | FPR | PR-AUC | ROC-AUC |
|---|---|---|---|---|---|---|
| model | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['fpr']:.3f} | {pr_auc:.3f} | {roc_auc:.3f} |
| keyword filter | {k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} | {k['fpr']:.3f} | - | - |

Confusion (model): tn {c['tn']}, fp {c['fp']}, fn {c['fn']}, tp {c['tp']}.

| slice | n | precision | recall | FPR |
|---|---|---|---|---|
{slice_line('obfuscated=1')}
{slice_line('hard_negative=1')}
{slice_line('kind=posting')}
{slice_line('kind=message')}

## Versions
{versions}
"""
