"""Gates: which of several Python regexes can match a text, answered by one compiled scan.

Python's regex engine scans a text once per pattern and tries the alternatives of an alternation
one by one; most of the normalizer's patterns find nothing in most texts. A
:class:`Gate` turns each pattern into a looser RE2 pattern (lookarounds dropped or made to
consume, lazy and possessive repeats made greedy) and asks all of them at once with
``re2.Set``, one pass of a DFA over the text. A pattern whose loose form is not found cannot
match, so its own scan is skipped; the others run as before, so results never change.

The loose form matches wherever the pattern matches (tests/test_gates.py checks this on real
texts): ``\\d`` becomes ``\\p{Nd}`` and Python's white space its own list of characters; ``\\w``
becomes ``[\\p{L}\\p{N}_]``, which may differ from Python's only for characters of a Unicode
version newer than Python's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _constants as c
from re import _parser
from typing import Any

__all__ = ["Gate", "loose_pattern"]


def _char(cp: int) -> str:
    return f"\\x{{{cp:x}}}"


# Python's white space (str.isspace), the class \s stands for in a str pattern.
_SPACE = "".join(
    map(_char, (
        *range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ))
)
_IN_CLASS = {  # a category as members of an RE2 class (negated or not)
    c.CATEGORY_DIGIT: r"\p{Nd}",
    c.CATEGORY_NOT_DIGIT: r"\P{Nd}",
    c.CATEGORY_WORD: r"\p{L}\p{N}_",
    c.CATEGORY_SPACE: _SPACE,
}
_NEGATED = {  # a category as a class of its own
    c.CATEGORY_NOT_WORD: r"[^\p{L}\p{N}_]",
    c.CATEGORY_NOT_SPACE: f"[^{_SPACE}]",
}


def _class(items: list[tuple[Any, Any]]) -> str:
    negate = bool(items) and items[0][0] is c.NEGATE
    members, others = [], []  # others: classes of their own (\W, \S), joined as alternatives
    for op, av in items[1:] if negate else items:
        if op is c.LITERAL:
            members.append(_char(av))
        elif op is c.RANGE:
            members.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and av in _IN_CLASS:
            members.append(_IN_CLASS[av])
        elif op is c.CATEGORY and av in _NEGATED and not negate:
            others.append(_NEGATED[av])
        else:
            raise ValueError(f"gates: no loose form for {op} {av} in a character class")
    alternatives = [*others, f"[{'^' if negate else ''}{''.join(members)}]"] if members else others
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def _sequence(items: Any, at_start: bool, at_end: bool) -> str:
    last = len(items) - 1
    return "".join(_item(op, av, at_start and i == 0, at_end and i == last) for i, (op, av) in enumerate(items))


def _item(op: Any, av: Any, at_start: bool, at_end: bool) -> str:
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.ANY:
        return "."  # both engines: any character but a line break
    if op is c.IN:
        return _class(av)
    if op is c.BRANCH:
        return "(?:" + "|".join(_sequence(b.data, at_start, at_end) for b in av[1]) + ")"
    if op is c.SUBPATTERN:
        if av[1] or av[2]:
            raise ValueError("gates: inline flags are not supported")
        return "(?:" + _sequence(av[3].data, at_start, at_end) + ")"
    if op is c.ATOMIC_GROUP:
        return "(?:" + _sequence(av.data, False, False) + ")"
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = av
        body = "(?:" + _sequence(sub.data, False, False) + ")"
        if high is c.MAXREPEAT:
            return f"{body}{{{low},}}"
        return f"{body}{{{low},{high}}}"
    if op is c.ASSERT:
        direction, sub = av
        # A lookbehind that opens the pattern, or a lookahead that closes it, may consume what
        # it looks at (the match only grows); any other assertion is dropped.
        if (direction < 0 and at_start) or (direction > 0 and at_end):
            return "(?:" + _sequence(sub.data, False, False) + ")"
        return ""
    if op in (c.ASSERT_NOT, c.AT):
        return ""  # dropped: the loose form matches more
    raise ValueError(f"gates: no loose form for {op}")


def loose_pattern(pattern: re.Pattern[str] | str) -> str:
    """An RE2 pattern that matches in every text where ``pattern`` (Python syntax) matches."""
    if isinstance(pattern, re.Pattern):
        if pattern.flags & ~(re.UNICODE | re.DEBUG):
            raise ValueError("gates: patterns with flags are not supported")
        pattern = pattern.pattern
    return _sequence(_parser.parse(pattern).data, True, True)


class Gate:
    """Which of ``patterns`` can match a text: ``gate(text)`` lists their indices, ascending.

    Built lazily, so a process that never scores pays nothing; holds no state worth saving.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str] | str]) -> None:
        self.loose = tuple(loose_pattern(p) for p in patterns)
        self._set: Any = None

    def _compiled(self) -> Any:
        try:
            import re2
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise ImportError("jobrisk needs google-re2: pip install google-re2") from exc
        options = re2.Options()
        options.max_mem = 64 << 20  # room for the DFA of every pattern at once
        found = re2.Set.SearchSet(options)
        for loose in self.loose:
            found.Add(loose)
        found.Compile()
        return found

    def __call__(self, text: str) -> list[int]:
        if self._set is None:
            self._set = self._compiled()
        found = self._set.Match(text)
        return sorted(found) if found else []
