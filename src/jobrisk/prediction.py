"""The result types of :func:`jobrisk.predict`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Prediction", "Span"]


@dataclass(frozen=True)
class Span:
    """A piece of evidence: ``text == original[start:end]`` in the string that was scored."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Prediction:
    """What jobrisk says about one text.

    Attributes:
        score: calibrated probability (0–1) that the text asks to move contact off the platform.
        flagged: ``score >= threshold`` of the model.
        channels: channels the solicitation points to (names from LABELING.md); empty when not
            flagged.
        evidence: spans of the original text that carry the solicitation; empty when not flagged.
        severity: ``none``, ``low``, ``medium`` or ``high`` from the model's policy table.
        verdict: with a contract stage, ``ok``, ``violation`` or ``needs_consent``; without one,
            ``ok`` or ``review``.
        reason: a one-line Japanese explanation a UI can show.
    """

    score: float
    flagged: bool
    channels: tuple[str, ...] = ()
    evidence: tuple[Span, ...] = ()
    severity: str = "none"
    verdict: str = "ok"
    reason: str = ""
