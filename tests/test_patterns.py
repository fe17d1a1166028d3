"""Regex building blocks: a grouped alternation matches exactly what the plain one matches."""

from __future__ import annotations

import random
import re

import pytest

from jobrisk import lexicon, normalize, tokenizer
from jobrisk.patterns import _split, alternation, word
from tests.conftest import normalized_sample_texts


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in pattern.finditer(text)]


def test_alternation_groups_alternatives_by_their_first_character() -> None:
    assert alternation(r"line|lin\.ee", "mail") == r"l(?:ine|in\.ee)|mail"
    assert alternation("ab", "a", "b") == "a(?:b|)|b"
    assert alternation(r"\.com|\.jp") == r"\.(?:com|jp)"


def test_alternation_keeps_order_lookarounds_and_groups() -> None:
    # overlapping alternatives, lookbehinds after the first character, named groups, escapes
    alternatives = [
        "ab(?P<g1>)", "a(?P<g2>)", "abc(?=d)(?P<g3>)", word("bc", "[a]") + "(?P<g4>)",
        "b(?P<g5>)", r"\.a(?P<g6>)", "c[|]a(?P<g7>)", "ca(?:b|c)+(?P<g8>)", r"d\|(?P<g9>)",
    ]
    plain = re.compile("|".join(alternatives))
    grouped = re.compile(alternation(*alternatives))
    assert grouped.pattern != plain.pattern
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice("abcd.|") for _ in range(rng.randint(0, 20)))
        assert _matches(grouped, text) == _matches(plain, text), text


def test_split_finds_only_top_level_bars() -> None:
    assert _split(r"a|b(?:c|d)|[|]e|\|f|[]|]g|[^]|]h") == ["a", "b(?:c|d)", "[|]e", r"\|f", "[]|]g", "[^]|]h"]


@pytest.mark.parametrize("bad", ["(?:a|b)c", "[ab]c", "a*b", r"\dx", "x|.y"])
def test_alternation_refuses_an_alternative_without_a_literal_head(bad: str) -> None:
    with pytest.raises(ValueError, match="must start with a literal character"):
        alternation(bad)


@pytest.mark.parametrize(
    ("plain", "grouped"),
    [
        (lexicon._REQUEST, lexicon.REQUEST_RE),
        (lexicon._NEGATION, lexicon.NEGATION_RE),
        (lexicon._TOPIC, lexicon.TOPIC_RE),
        ("|".join(normalize._READING_ALTERNATIVES), normalize._READING_WORDS),
    ],
    ids=["request", "negation", "topic", "readings"],
)
def test_grouped_lexicon_patterns_match_like_their_plain_spelling(plain: str, grouped: re.Pattern[str]) -> None:
    reference = re.compile(plain)
    for text in [*normalized_sample_texts(), "らいんでぃすこーどrainn rain めーる meeru 不要 顔出し不要 id: x"]:
        assert _matches(grouped, text) == _matches(reference, text), text[:80]


def test_compound_hint_finds_what_the_plain_alternation_finds() -> None:
    plain = re.compile(
        "|".join(r"\s*".join(map(re.escape, c)) for c in sorted(tokenizer.COMPOUNDS, key=len, reverse=True))
    )
    for text in normalized_sample_texts():
        assert _matches(tokenizer._MAY_HOLD_COMPOUND, text) == _matches(plain, text), text[:80]
