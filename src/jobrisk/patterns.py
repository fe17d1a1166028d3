"""Regex building blocks shared by the normalizer and the lexicon, written for Python's engine.

The engine scans a text for the positions where a pattern can start (in C, when the pattern
starts with a literal or a character class) and then tries the alternatives of an alternation
one by one. The helpers here keep both steps cheap without changing what any pattern matches:

- :func:`word`: a word with conditions on what comes before it, written after its first
  character so that the pattern still starts with a literal;
- :func:`alternation`: alternatives grouped under their first character, so a position tries
  one group instead of every alternative;
- :func:`containing`: a substring hint that tells when a pattern cannot match a text at all, far
  cheaper than its scan (:mod:`jobrisk.gates` asks many patterns at once).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _constants, _parser  # the stdlib's own regex parser, to read an alternative's head

__all__ = ["KATAKANA", "alternation", "containing", "word"]

KATAKANA = "[ァ-ヺー]"  # a katakana letter or the long vowel mark


def word(word: str, not_after: str = "", after: str = "", not_before: tuple[str, ...] = ()) -> str:
    """``word`` (a regex whose first character is a plain literal) not preceded by a character of
    the class ``not_after`` nor by any of ``not_before``, then the regex ``after``:
    ``word("line", "[a-z]")`` is ``l(?<![a-z]l)ine``, which matches what ``(?<![a-z])line``
    matches."""
    first, rest = word[0], word[1:]
    guards = f"(?<!{not_after}{first})" if not_after else ""
    guards += "".join(f"(?<!{w}{first})" for w in not_before)
    return f"{first}{guards}{rest}{after}"


def _head(alternative: str) -> str:
    """The regex text of the literal character that ``alternative`` starts with."""
    for size in range(1, min(len(alternative), 10) + 1):
        head = alternative[:size]
        try:
            items = _parser.parse(head).data
        except re.error:
            continue
        if len(items) == 1 and items[0][0] is _constants.LITERAL:
            whole = _parser.parse(alternative).data
            if whole and whole[0] == items[0]:
                return head
            break
    raise ValueError(f"alternation(): {alternative!r} must start with a literal character")


def _split(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``|`` outside groups and character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a "]" right after "[" or "[^" is a member
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def alternation(*patterns: str) -> str:
    """The alternatives of ``patterns`` (each one or several joined by ``|``) as one alternation,
    with the alternatives that start with the same literal character grouped:
    ``alternation("line|lin\\.ee", "mail")`` is ``l(?:ine|in\\.ee)|mail``.

    Two alternatives with different first characters never match at the same position, and the
    order inside each group is kept, so the result matches exactly what the plain alternation
    matches (same spans, same groups). Every alternative must start with a literal character.
    """
    groups: dict[str, list[str]] = {}
    for alt in (a for p in patterns for a in _split(p)):
        head = _head(alt)
        groups.setdefault(head, []).append(alt[len(head) :])
    return "|".join(
        head + rests[0] if len(rests) == 1 else f"{head}(?:{'|'.join(rests)})"
        for head, rests in groups.items()
    )


def containing(*parts: str) -> Callable[[str], bool]:
    """A cheap hint: does a text contain any of ``parts``?"""

    def hint(text: str) -> bool:
        for part in parts:  # noqa: SIM110 - a plain loop: any() with a generator costs more here
            if part in text:
                return True
        return False

    return hint
