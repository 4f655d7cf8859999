"""The byte-budget LRU under the image and sound caches."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.media.cache import ByteBudgetLru


def test_least_recently_used_goes_first_and_the_newest_always_stays():
    lru = ByteBudgetLru(100)
    lru.put("a", 1, 40)
    lru.put("b", 2, 40)
    assert lru.get("a") == 1  # a is now more recent than b
    lru.put("c", 3, 40)
    assert "b" not in lru and "a" in lru and "c" in lru and lru.bytes_used == 80
    lru.put("huge", 4, 500)  # bigger than the budget: kept alone, the screen needs it
    assert list(lru._items) == ["huge"] and lru.bytes_used == 500
    lru.put("d", 5, 10)
    assert "huge" not in lru and lru.bytes_used == 10
    lru.put("d", 6, 30)  # replacing counts the new size only
    assert lru.bytes_used == 30 and lru.get("d") == 6
    lru.discard("d")
    assert len(lru) == 0 and lru.bytes_used == 0
    with pytest.raises(ValueError):
        ByteBudgetLru(0)


@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), st.integers(1, 60)), max_size=60))
def test_the_budget_holds_and_the_count_is_exact(puts):
    lru = ByteBudgetLru(100)
    for key, size in puts:
        lru.put(key, size, size)
        assert lru.bytes_used == sum(v for v, _ in lru._items.values())
        assert lru.bytes_used <= 100
        assert key in lru
