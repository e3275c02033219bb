"""The scrubber that keeps API keys out of files and messages, even in pieces."""

from __future__ import annotations

import pytest

from ifbench.run.backends.secrets import Scrubber

KEY = "sk-live-" + "Q7wErT9y" * 4


@pytest.mark.parametrize("text, scrubbed", [
    (f"key={KEY}", "key=***"),
    (f"cut here: {KEY[:30]}…", "cut here: ***…"),          # a snippet cut inside the key
    (f"…{KEY[-25:]} was rejected", "…*** was rejected"),   # a snippet starting inside it
    (f"{KEY}{KEY}", "******"),
    (f"密钥是{KEY}，请保密。", "密钥是***，请保密。"),
    (f"only {KEY[:7]} and {KEY[-7:]}", f"only {KEY[:7]} and {KEY[-7:]}"),  # too short to identify it
    ("nothing secret here", "nothing secret here"),
])
def test_the_key_and_its_long_prefixes_and_suffixes_are_replaced(text, scrubbed):
    assert Scrubber([KEY])(text) == scrubbed


def test_without_secrets_or_with_short_ones_text_is_unchanged():
    assert not Scrubber([None, "", "abc"])
    assert Scrubber([None, "abc"])("abc def") == "abc def"


def test_a_long_text_full_of_near_misses_is_scrubbed():
    text = (KEY[:8] + "x") * 200_000 + KEY  # 1.8 MB of 8-character prefixes
    assert Scrubber([KEY])(text).endswith("x***")
