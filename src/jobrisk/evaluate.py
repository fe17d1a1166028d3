"""Metrics for a model on labeled data, per slice, beside the keyword baseline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
)

from .keyword import keyword_flags
from .model import JobRiskModel

__all__ = ["binary_metrics", "evaluate_frame", "format_report", "write_plots"]

log = logging.getLogger(__name__)

SLICE_COLUMNS = ("kind", "obfuscated", "hard_negative", "channels")


def binary_metrics(y: np.ndarray, flags: np.ndarray, scores: np.ndarray | None = None) -> dict[str, Any]:
    """Precision, recall, F1, FPR, confusion matrix (and PR-AUC / ROC-AUC with scores)."""
    y = np.asarray(y, dtype=int)
    flags = np.asarray(flags, dtype=int)
    p, r, f, _ = precision_recall_fscore_support(y, flags, average="binary", zero_division=0)
    tn, fp, fn, tp = confusion_matrix(y, flags, labels=[0, 1]).ravel()
    out: dict[str, Any] = {
        "n": len(y), "positives": int(y.sum()),
        "precision": float(p), "recall": float(r), "f1": float(f),
        "fpr": float(fp / (fp + tn)) if fp + tn else 0.0,
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }
    if scores is not None and 0 < y.sum() < len(y):
        out["pr_auc"] = float(average_precision_score(y, scores))
        out["roc_auc"] = float(roc_auc_score(y, scores))
    return out


def _slices(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    masks: dict[str, np.ndarray] = {}
    for column in SLICE_COLUMNS:
        if column not in frame.columns:
            continue
        values = frame[column].fillna("").astype(str)
        if column == "channels":
            names = sorted({c for v in values for c in v.split(";") if c})
            for name in names:
                has = values.map(lambda v, n=name: n in v.split(";")).to_numpy()
                masks[f"channel={name}"] = has
            continue
        for value in sorted(set(values)):
            masks[f"{column}={value}"] = (values == value).to_numpy()
    return masks


def evaluate_frame(model: JobRiskModel, frame: pd.DataFrame) -> dict[str, Any]:
    """Evaluate ``model`` on a frame with ``text`` and ``label``; returns a JSON-able report."""
    y = frame["label"].astype(int).to_numpy()
    texts = frame["text"].tolist()
    scores = model.predict_proba(texts)
    flags = (scores >= model.threshold).astype(int)
    kw = keyword_flags(texts)
    report: dict[str, Any] = {
        "threshold": model.threshold,
        "model": binary_metrics(y, flags, scores),
        "keyword_filter": binary_metrics(y, kw),
        "slices": {},
    }
    for name, mask in _slices(frame).items():
        if mask.sum() == 0:
            continue
        report["slices"][name] = {
            "model": binary_metrics(y[mask], flags[mask], scores[mask]),
            "keyword_filter": binary_metrics(y[mask], kw[mask]),
        }
    report["_scores"] = scores
    return report


def _row(name: str, m: dict[str, Any]) -> str:
    auc = f"{m['pr_auc']:.3f}" if "pr_auc" in m else "  -  "
    return (
        f"{name:<34} {m['n']:>6} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
        f"{m['fpr']:>6.3f} {auc:>6}"
    )


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of a report from :func:`evaluate_frame`."""
    head = f"{'':<34} {'n':>6} {'prec':>6} {'recall':>6} {'f1':>6} {'fpr':>6} {'prauc':>6}"
    m, k = report["model"], report["keyword_filter"]
    c = m["confusion"]
    lines = [
        f"threshold {report['threshold']:.4f}",
        head,
        _row("model", m),
        _row("keyword filter", k),
        f"model ROC-AUC {m.get('roc_auc', float('nan')):.4f}  confusion tn={c['tn']} fp={c['fp']} "
        f"fn={c['fn']} tp={c['tp']}",
        "",
        "per slice (model / keyword filter):",
        head,
    ]
    for name, s in report["slices"].items():
        lines.append(_row(name, s["model"]))
        lines.append(_row("  keyword", s["keyword_filter"]))
    return "\n".join(lines)


def write_plots(report: dict[str, Any], y: np.ndarray, directory: str | Path) -> list[Path]:
    """Write ``pr_curve.png`` and ``confusion_matrix.png``; needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise RuntimeError("--plots needs matplotlib: pip install 'jobrisk[plots]'") from exc
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    scores = report["_scores"]
    precision, recall, _ = precision_recall_curve(y, scores)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision, label=f"model (PR-AUC {report['model'].get('pr_auc', 0):.3f})")
    k = report["keyword_filter"]
    ax.scatter([k["recall"]], [k["precision"]], color="red", label="keyword filter")
    m = report["model"]
    ax.scatter([m["recall"]], [m["precision"]], color="black", label="model @ threshold")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    fig.tight_layout()
    pr_path = directory / "pr_curve.png"
    fig.savefig(pr_path, dpi=100)
    plt.close(fig)
    c = m["confusion"]
    matrix = np.array([[c["tn"], c["fp"]], [c["fn"], c["tp"]]])
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), v in np.ndenumerate(matrix):
        ax.text(j, i, str(v), ha="center", va="center")
    ax.set_xticks([0, 1], ["pred 0", "pred 1"])
    ax.set_yticks([0, 1], ["true 0", "true 1"])
    fig.tight_layout()
    cm_path = directory / "confusion_matrix.png"
    fig.savefig(cm_path, dpi=100)
    plt.close(fig)
    return [pr_path, cm_path]
