"""The two calls most users need: :func:`predict` and :func:`load_model`."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, overload

from .model import JobRiskModel
from .policy import Policy
from .prediction import Prediction

__all__ = ["default_model_path", "load_model", "predict"]

_DEFAULT_NAME = "default.skops"
_lock = threading.Lock()
_default: JobRiskModel | None = None


def default_model_path() -> Path:
    """Where the shipped default model is: inside the installed package, or ``models/`` of a
    source checkout (editable install)."""
    packaged = resources.files("jobrisk").joinpath("_models", _DEFAULT_NAME)
    if packaged.is_file():
        return Path(str(packaged))
    source_tree = Path(__file__).resolve().parents[2] / "models" / _DEFAULT_NAME
    if source_tree.is_file():
        return source_tree
    raise FileNotFoundError(
        "the default jobrisk model is missing from this installation; reinstall jobrisk, or "
        "train one with `jobrisk train --data data/corpus.csv --output models/default.skops`"
    )


def load_model(
    path: str | Path | None = None, policy: Mapping[str, Any] | str | Path | Policy | None = None
) -> JobRiskModel:
    """Load a model: the shipped default when ``path`` is None.

    Args:
        path: a ``.skops`` file written by ``jobrisk train``.
        policy: a severity table (dict or TOML path) that overrides the default policy.
    """
    return JobRiskModel.load(default_model_path() if path is None else path, policy=policy)


def _default_model() -> JobRiskModel:
    global _default
    with _lock:
        if _default is None:
            _default = load_model()
        return _default


@overload
def predict(texts: str | None, stage: str | None = None) -> Prediction: ...
@overload
def predict(texts: Iterable[object], stage: str | None = None) -> list[Prediction]: ...


def predict(texts: object, stage: str | None = None) -> Prediction | list[Prediction]:
    """Score text with the default model.

    Args:
        texts: one str (returns one :class:`Prediction`) or a list of str (returns a list of
            predictions in the same order). None, NaN, empty and whitespace-only texts score 0.
        stage: ``None``, ``"pre_contract"`` or ``"post_contract"``: sets each ``verdict``.

    Raises:
        TypeError: for an input that is not a str, None, NaN or a list of those.
    """
    return _default_model().predict(texts, stage=stage)
