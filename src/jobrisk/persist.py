"""Safe model files: skops.io with a fixed allow-list, a format version and version checks.

Loading never executes code from the file: skops only rebuilds the types on the allow-list
below (scikit-learn's own safe types plus jobrisk's feature classes), and anything else makes
:func:`load_state` refuse the file.
"""

from __future__ import annotations

import logging
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import sklearn
import skops.io as sio

__all__ = ["FORMAT", "FORMAT_VERSION", "ModelFileError", "dump_state", "load_state"]

log = logging.getLogger(__name__)

FORMAT = "jobrisk-model"
FORMAT_VERSION = 1

# Types that are not on skops' default trusted list but are safe to rebuild.
ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "jobrisk.features.JobRiskFeatures",
        "jobrisk.tokenizer.JapaneseTokenizer",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
    }
)


class ModelFileError(ValueError):
    """A model file that jobrisk will not load (not a jobrisk model, unsafe, or incompatible)."""


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def dump_state(state: dict[str, Any], path: str | Path) -> Path:
    """Write ``state`` (the model's parts) to ``path`` in the skops format."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, **state}
    tmp = path.with_name(path.name + ".tmp")
    sio.dump(payload, tmp)
    tmp.replace(path)
    return path


def load_state(path: str | Path) -> dict[str, Any]:
    """Read a model file, refusing anything that is unsafe or not a jobrisk model."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"model file not found: {path}. Train one with `jobrisk train --data CSV --output "
            f"{path}` or call load_model() with no argument for the shipped default."
        )
    if not zipfile.is_zipfile(path):
        raise ModelFileError(
            f"{path} is not a jobrisk model file (expected a skops archive written by "
            "`jobrisk train`). Pickle and joblib files are not loaded because they can run code."
        )
    try:
        untrusted = set(sio.get_untrusted_types(file=path))
    except Exception as exc:
        raise ModelFileError(f"{path} is not a readable skops archive: {exc}") from exc
    unknown = sorted(untrusted - ALLOWED_TYPES)
    if unknown:
        raise ModelFileError(
            f"refusing to load {path}: it contains types outside jobrisk's allow-list "
            f"({', '.join(unknown)}). Only load model files written by `jobrisk train`."
        )
    try:
        state = sio.load(path, trusted=sorted(untrusted))
    except Exception as exc:
        raise ModelFileError(f"could not load {path}: {exc}") from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ModelFileError(f"{path} is a skops file but not a jobrisk model")
    version = state.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{path} has model format version {version}; this jobrisk reads version "
            f"{FORMAT_VERSION}. Retrain it with `jobrisk train` or install the matching jobrisk."
        )
    versions = state.get("metadata", {}).get("versions", {})
    jobrisk_version = _installed("jobrisk")
    if versions.get("jobrisk") and jobrisk_version and versions["jobrisk"] != jobrisk_version:
        log.warning(
            "%s was trained with jobrisk %s but %s is installed; if scoring fails, retrain it",
            path, versions["jobrisk"], jobrisk_version,
        )
    trained_with = versions.get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        log.warning(
            "%s was trained with scikit-learn %s but %s is installed; scores may differ. "
            "Install the pinned versions (pip install -c constraints.txt .) or retrain.",
            path, trained_with, sklearn.__version__,
        )
    return state
