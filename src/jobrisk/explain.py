"""Rendering an explanation (from :meth:`JobRiskModel.explain`) for a terminal."""

from __future__ import annotations

from typing import Any

__all__ = ["highlight", "render_explanation"]

_ON, _OFF = "\033[1;31;47m", "\033[0m"


def highlight(text: str, spans: list[dict[str, Any]], color: bool) -> str:
    """``text`` with each evidence span marked: ANSI colour, or 【【…】】 without colour."""
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        start, end = span["start"], span["end"]
        if start < pos:
            continue
        out.append(text[pos:start])
        inner = text[start:end]
        out.append(f"{_ON}{inner}{_OFF}" if color else f"【【{inner}】】")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def render_explanation(result: dict[str, Any], color: bool = False) -> str:
    """A human-readable explanation."""
    flag = "FLAGGED" if result["flagged"] else "not flagged"
    lines = [
        highlight(result["text"], result["evidence"], color),
        "",
        f"score {result['score']:.4f}  threshold {result['threshold']:.4f}  -> {flag}",
        f"channels: {', '.join(result['channels']) or '-'}   severity: {result['severity']}   "
        f"verdict: {result['verdict']}",
        f"reason: {result['reason']}",
    ]
    if result["evidence"]:
        lines.append("evidence: " + " | ".join(s["text"] for s in result["evidence"]))
    for title, key in (("pushed up", "features_for"), ("pushed down", "features_against")):
        lines.append(f"{title}:")
        items = result[key] or [{"feature": "-", "weight": 0.0}]
        lines.extend(f"  {f['weight']:+.4f}  {f['feature']}" for f in items)
    return "\n".join(lines)
