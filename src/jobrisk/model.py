"""The jobrisk model: a fitted feature pipeline, a decision threshold, metadata and a policy."""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, overload

import numpy as np
from scipy.special import expit

from .normalize import NormalizedText, normalize_batch
from .persist import dump_state, load_state
from .policy import Policy, load_policy
from .prediction import Prediction, Span
from .signals import Signal, analyze

__all__ = ["JobRiskModel", "check_text"]

_MAX_SPANS = 8


def check_text(text: object) -> str | None:
    """``text`` as a str, or None when it is missing (None, NaN, empty, whitespace only).

    Raises:
        TypeError: for anything that is not a str, None or NaN.
    """
    if text is None:
        return None
    if isinstance(text, float) and math.isnan(text):
        return None
    if not isinstance(text, str):
        raise TypeError(
            f"jobrisk scores text: expected a str (or None), got {type(text).__name__} "
            f"{text!r:.60}. Convert it with str() or pass the text column of your data."
        )
    return text if text.strip() else None


class JobRiskModel:
    """A trained classifier with its threshold, metadata and severity policy.

    Use :func:`jobrisk.load_model` to get one; :meth:`predict` for rich results,
    :meth:`predict_proba` for scores alone.
    """

    def __init__(
        self,
        pipeline: Any,
        threshold: float,
        metadata: Mapping[str, Any] | None = None,
        policy: Mapping[str, Any] | str | Path | Policy | None = None,
    ) -> None:
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {threshold}")
        self.pipeline = pipeline
        self.threshold = float(threshold)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.policy = load_policy(policy)

    # -- scoring -----------------------------------------------------------------------------
    def _scores(self, norms: Sequence[NormalizedText | None]) -> np.ndarray:
        scores = np.zeros(len(norms), dtype=float)
        idx = [i for i, n in enumerate(norms) if n is not None]
        if idx:
            features = self.pipeline[:-1].transform([norms[i] for i in idx])
            scores[idx] = _positive_proba(self.pipeline[-1], features)
        return scores

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """Calibrated probability of label 1 for each text: a float array of shape ``(n,)``.

        Missing texts (None, NaN, empty, whitespace) score 0.0.
        """
        if isinstance(texts, str):
            raise TypeError("predict_proba takes a list of texts; wrap a single text in [...]")
        batch = list(texts)
        parts = [self._scores(_normalized(batch[i : i + _SLICE])) for i in range(0, len(batch), _SLICE)]
        return np.concatenate(parts) if parts else np.zeros(0)

    @overload
    def predict(self, texts: str | None, stage: str | None = None) -> Prediction: ...
    @overload
    def predict(self, texts: Iterable[object], stage: str | None = None) -> list[Prediction]: ...

    def predict(
        self, texts: object, stage: str | None = None
    ) -> Prediction | list[Prediction]:
        """Predict one text (returns a :class:`Prediction`) or a list (returns a list, same order).

        Args:
            texts: a str, or a list/tuple/Series of str (None / NaN allowed: they score 0).
            stage: ``None``, ``"pre_contract"`` or ``"post_contract"``: sets ``verdict``.
        """
        single = (
            texts is None
            or isinstance(texts, (str, bytes, float, int, Mapping))
            or not isinstance(texts, Iterable)
        )
        batch = [texts] if single else list(texts)  # type: ignore[call-overload]
        Policy.verdict(False, stage, (), False)  # validates stage before any work
        out: list[Prediction] = []
        for i in range(0, len(batch), _SLICE):  # slices keep memory bounded for long lists
            norms = _normalized(batch[i : i + _SLICE])
            scores = self._scores(norms)
            out += [self._prediction(n, float(s), stage) for n, s in zip(norms, scores, strict=True)]
        return out[0] if single else out

    def _prediction(self, norm: NormalizedText | None, score: float, stage: str | None) -> Prediction:
        flagged = norm is not None and score >= self.threshold
        if not flagged:  # most texts: severity and verdict do not depend on the text
            return Prediction(round(score, 6), False, (), (), "none", *_not_flagged_verdict(stage))
        channels: tuple[str, ...] = ()
        evidence: tuple[Span, ...] = ()
        obfuscated = False
        if flagged and norm is not None:
            signals = solicitation_signals(analyze(norm))
            channels = tuple(dict.fromkeys(s.channel for s in signals))
            evidence = evidence_spans(norm, signals)
            obfuscated = any(s.disguised for s in signals)
        severity, direct = self.policy.severity(
            flagged, channels, obfuscated, norm.text if norm else ""
        )
        verdict, reason = self.policy.verdict(flagged, stage, channels, direct)
        return Prediction(round(score, 6), flagged, channels, evidence, severity, verdict, reason)

    # -- explanation -------------------------------------------------------------------------
    def explain(self, text: str, top: int = 10, stage: str | None = None) -> dict[str, Any]:
        """The prediction for ``text`` plus the features that pushed its score most each way."""
        pred = self.predict(text, stage=stage)
        result: dict[str, Any] = {
            "text": text, "score": pred.score, "threshold": self.threshold,
            "flagged": pred.flagged, "channels": list(pred.channels), "severity": pred.severity,
            "verdict": pred.verdict, "reason": pred.reason,
            "evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in pred.evidence],
            "features_for": [], "features_against": [],
        }
        if check_text(text) is None:
            return result
        features = self.pipeline.named_steps["features"]
        row = features.transform([text]).tocsr()
        coef = _linear_coef(self.pipeline.named_steps["clf"])
        names = self._feature_names()
        contrib = row.data * coef[row.indices]
        order = np.argsort(contrib)
        result["features_for"] = [
            {"feature": str(names[row.indices[i]]), "weight": round(float(contrib[i]), 4)}
            for i in order[::-1][:top] if contrib[i] > 0
        ]
        result["features_against"] = [
            {"feature": str(names[row.indices[i]]), "weight": round(float(contrib[i]), 4)}
            for i in order[:top] if contrib[i] < 0
        ]
        return result

    def _feature_names(self) -> np.ndarray:
        names = self.__dict__.get("_names")
        if names is None:
            names = self._names = self.pipeline.named_steps["features"].get_feature_names_out()
        return names

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model to ``path`` (a ``.skops`` archive that loads without running code)."""
        return dump_state(
            {"pipeline": self.pipeline, "threshold": self.threshold, "metadata": self.metadata},
            path,
        )

    @classmethod
    def load(
        cls, path: str | Path, policy: Mapping[str, Any] | str | Path | Policy | None = None
    ) -> JobRiskModel:
        """Read a model written by :meth:`save`; see :func:`jobrisk.persist.load_state`."""
        state = load_state(path)
        model = cls(state["pipeline"], state["threshold"], state.get("metadata"), policy)
        model.metadata.setdefault("path", str(path))
        return model

    def __repr__(self) -> str:
        created = self.metadata.get("created", "?")
        return f"JobRiskModel(threshold={self.threshold:.4f}, created={created!r})"


_SLICE = 4096  # texts featurized at once: large enough for speed, small enough for memory

_FOLDS: weakref.WeakKeyDictionary[Any, tuple[np.ndarray, ...] | None] = weakref.WeakKeyDictionary()


def _positive_proba(clf: Any, features: Any) -> np.ndarray:
    """``clf.predict_proba(features)[:, 1]``. For a binary linear model calibrated with sigmoids
    (the default model) the folds' decision values come from one matrix product, with the same
    arithmetic as scikit-learn's, so the same result; other classifiers go through sklearn."""
    if clf not in _FOLDS:
        _FOLDS[clf] = _sigmoid_folds(clf)
    folds = _FOLDS[clf]
    if folds is None:
        return clf.predict_proba(features)[:, 1]
    coef, intercept, a, b = folds
    decision = features @ coef.T
    total = np.zeros(features.shape[0])
    for k in range(len(a)):
        total += expit(-(a[k] * (decision[:, k] + intercept[k]) + b[k]))
    return total / len(a)


def _sigmoid_folds(clf: Any) -> tuple[np.ndarray, ...] | None:
    """Stacked coefficients, intercepts and sigmoid parameters of a calibrated linear binary
    classifier, or None for any other kind."""
    from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
    from sklearn.linear_model import LogisticRegression

    if not isinstance(clf, CalibratedClassifierCV) or len(getattr(clf, "classes_", ())) != 2:
        return None
    parts = []
    for fold in clf.calibrated_classifiers_:
        est = fold.estimator
        if (
            type(est) is not LogisticRegression or fold.method != "sigmoid"
            or len(fold.calibrators) != 1 or type(fold.calibrators[0]) is not _SigmoidCalibration
            or est.coef_.shape[0] != 1 or list(est.classes_) != list(clf.classes_)
        ):
            return None
        parts.append((est.coef_[0], est.intercept_[0], fold.calibrators[0].a_, fold.calibrators[0].b_))
    coef, intercept, a, b = (np.array(p) for p in zip(*parts, strict=True))
    return coef, intercept, a, b


@cache
def _not_flagged_verdict(stage: str | None) -> tuple[str, str]:
    """Verdict and reason of a text that is not flagged (the same for every policy table)."""
    return Policy.verdict(False, stage, (), False)


def _normalized(texts: Iterable[object]) -> list[NormalizedText | None]:
    """Each text normalized, or None for a missing one (None, NaN, empty, whitespace)."""
    checked = [check_text(x) for x in texts]
    norms = iter(normalize_batch([t for t in checked if t is not None]))
    return [None if t is None else next(norms) for t in checked]


def solicitation_signals(signals: list[Signal]) -> list[Signal]:
    """The signals that carry a request (not refused); all non-refused ones if none asks."""
    asked = [s for s in signals if s.requested and not s.negated]
    if asked:
        return asked
    return [s for s in signals if not s.negated] or signals


def evidence_spans(norm: NormalizedText, signals: list[Signal]) -> tuple[Span, ...]:
    """Merged evidence spans of ``signals``, mapped to the original text."""
    ranges = sorted(norm.original_span(s.evidence_start, s.evidence_end) for s in signals)
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Span(a, b, norm.original[a:b]) for a, b in merged[:_MAX_SPANS])


def _linear_coef(clf: Any) -> np.ndarray:
    """Average coefficient vector of a (calibrated) linear classifier."""
    if hasattr(clf, "calibrated_classifiers_"):
        return np.mean([c.estimator.coef_[0] for c in clf.calibrated_classifiers_], axis=0)
    return np.asarray(clf.coef_[0])
