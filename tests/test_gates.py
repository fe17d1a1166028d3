"""Gates: one compiled scan says which Python patterns can match; a pattern it leaves out cannot."""

from __future__ import annotations

import random
import re

import pytest

from jobrisk.gates import Gate, loose_pattern


def test_a_lookbehind_that_opens_and_a_lookahead_that_closes_are_kept_as_context() -> None:
    gate = Gate([r"(?<=\d)[ー-](?=\d)"])
    assert gate("090ー0000") == [0]
    assert gate("ラーメン") == []  # the long vowel mark between letters: no digit either side


def test_other_lookarounds_are_dropped_so_the_gate_only_widens() -> None:
    pattern = re.compile(r"l(?<![a-z]l)ine(?![a-z])")
    gate = Gate([pattern])
    assert pattern.search("online") is None and gate("online") == [0]  # wider, never narrower
    assert gate("lin") == []


def test_indices_are_ascending_and_empty_when_nothing_can_match() -> None:
    gate = Gate(["zoom", r"\d{3}", "らいん"])
    assert gate("らいん 090 zoom") == [0, 1, 2]
    assert gate("お仕事の詳細です") == []
    assert gate("") == []


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\d\s+\d", "1\u3000\u30002"),  # Python's white space, ideographic space included
        (r"[^\w\n]{2}", "a★♪b"),
        (r"\W", "★"),
        (r"[\W_]ら[\W_]", "・ら_"),  # a class with a category of its own beside members
        (r"\S+?x", "あx"),  # lazy repeats match as greedy ones do
        (r"(?>ab|a)c", "abc"),  # atomic groups
        (r"a++b", "aab"),  # possessive repeats
        (r"^line$", "line"),  # anchors are dropped
        (r"(?P<name>id)\d", "id7"),
        (r"[٠-٩]|\d", "٣"),  # Arabic-Indic digits are \d in Python
    ],
)
def test_constructs_keep_every_match(pattern: str, text: str) -> None:
    assert re.search(pattern, text)
    assert Gate([pattern])(text) == [0], loose_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"), [(r"(a)\1", "GROUPREF"), (r"(?i:line)", "flags"), (r"[^\W]", "class")]
)
def test_what_has_no_loose_form_is_refused_with_its_name(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        loose_pattern(pattern)


def test_compiled_flags_are_refused() -> None:
    with pytest.raises(ValueError, match="flags"):
        loose_pattern(re.compile("line", re.IGNORECASE))


def test_random_texts_never_match_a_pattern_that_the_gate_leaves_out() -> None:
    patterns = [
        r"(?<![a-z0-9])(?:[a-z0-9](?:[^\w\n]|_){1,3}){2,}[a-z0-9](?![a-z0-9])",
        r"[~〜](?<=[ぁ-ゖァ-ヺ].)(?=[ぁ-ゖァ-ヺ])",
        r"(?<=[a-z0-9._-])[ \u3000]*(?:あっと|\s+at\s+(?=[a-z0-9-]+\s*\.))[ \u3000]*(?=[a-z0-9])",
        r"0(?<![\d-]0)\d{1,4}-?\d{1,4}-?\d{3,4}(?![\d-])",
    ]
    gate = Gate(patterns)
    alphabet = "abilnet09 .-_@\u3000\n★ーらいんラインあっと〜~"
    rng = random.Random(4)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        fired = gate(text)
        for k, pattern in enumerate(patterns):
            assert re.search(pattern, text) is None or k in fired, (pattern, text)
