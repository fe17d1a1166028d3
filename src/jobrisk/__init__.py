"""jobrisk: flag Japanese job postings and platform messages that move contact off the platform.

>>> import jobrisk
>>> p = jobrisk.predict("契約後はLINEでのやり取りになります。ID: example_01 を追加してください")
>>> p.flagged, p.channels
(True, ('line',))
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from .api import default_model_path, load_model, predict
from .model import JobRiskModel
from .prediction import Prediction, Span

try:
    __version__ = version("jobrisk")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "JobRiskModel",
    "Prediction",
    "Span",
    "__version__",
    "default_model_path",
    "load_model",
    "predict",
]
