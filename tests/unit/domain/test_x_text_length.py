"""X's weighted length of a post (socialcare.domain.x_text_length): what X counts, or more,
never less. Expected values: twitter-text's conformance/validate.yml
(https://github.com/twitter/twitter-text, WeightedTweetsCounterTest and
WeightedTweetsWithDiscountedEmojiCounterTest) and counts of its Python port
(twitter-text-parser 3.0.0) where marked."""

from __future__ import annotations

import pytest

from socialcare.domain.x_text_length import MAX_POST_WEIGHT, fits_an_x_post, x_post_weight

CJK_160 = "故人西辞黄鹤楼\uff0c烟花三月下扬州。孤帆远影碧空尽\uff0c唯见长江天际流。" * 5


@pytest.mark.parametrize(
    ("text", "x_counts"),
    [
        ("Hi http://test.co", 26),
        ("http://test.co", 23),
        ("https://www.twitter.com/aloha " * 10, 240),
        ("Hola, " + "b" * 250 + " visita tienda.es", 287),  # the port: a bare domain is a URL
        ("ver ñandú.рф o ejemplo.भारत", 53),  # the port: IDN domains are URLs
        ("👨‍👩‍👧‍👦", 2),
        ("©", 2),
    ],
)
def test_a_post_with_links_or_emoji_sequences_weighs_no_less_than_x_counts(text, x_counts):
    # Given a text X counts `x_counts` / When it is weighed
    weight = x_post_weight(text)
    # Then it weighs no less: a post X would refuse is never let through
    assert weight >= x_counts


@pytest.mark.parametrize(
    ("text", "x_counts"),
    [
        ("285 chars-" + "xxxxxxxxxx-" * 25, 285),
        (CJK_160, 320),
        ("😷" * 160, 320),
        ("A\u0301B", 2),  # NFC: A and a combining acute are one character
        ("😷👾😡🔥💩", 10),
        # the port's counts
        ("a" * 274 + " 5 € 👍", 282),
        ("100 €", 6),
        ("escríbenos, son las 3.14 h, e.g. hoy", 36),  # no dot before two letters
    ],
)
def test_text_without_links_weighs_exactly_what_x_counts(text, x_counts):
    assert x_post_weight(text) == x_counts


def test_what_the_count_cannot_know_is_counted_high():
    # Given a bare domain X counts 23 when it knows its top-level domain, and an emoji
    # sequence X counts as one emoji (2)
    # When they are weighed / Then each counts more, never less
    assert x_post_weight("tienda.es") == 9 + 19
    assert x_post_weight("👨‍👩‍👧‍👦") == 11


def test_the_limit_is_280_as_x_counts():
    assert fits_an_x_post("a" * MAX_POST_WEIGHT)
    assert not fits_an_x_post("a" * 279 + "€")
    assert not fits_an_x_post("a" * 262 + " visita tienda.es")  # 279 characters, X: 293
