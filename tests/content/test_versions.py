"""Pack versions compare in semver's order; the next version adds one to the last number."""

from __future__ import annotations

import pytest

from kiosk.content.versions import next_version, version_key

ASCENDING = ["0.9", "1.0-rc.1", "1.0-rc.2", "1.0-rc.10", "1.0", "1.0.1", "1.2", "1.10",
             "2026.12-se.1", "2026.12-se.2", "2026.12"]


def test_versions_sort_in_semver_order():
    assert sorted(reversed(ASCENDING), key=version_key) == ASCENDING


def test_missing_numbers_count_as_zero_and_build_data_is_ignored():
    assert version_key("1.0") == version_key("1.0.0") == version_key("1.0+build.5")


@pytest.mark.parametrize("value, after", [("1.0.1", "1.0.2"), ("1.9", "1.10"),
                                          ("2026.12-se.1", "2026.12-se.2"),
                                          ("1.0-beta", "1.0-beta.1"), ("1.0+b5", "1.1")])
def test_the_next_version_is_newer(value, after):
    assert next_version(value) == after
    assert version_key(after) > version_key(value)


def test_a_text_that_is_not_a_version_has_no_key():
    with pytest.raises(ValueError):
        version_key("1.0/../x")
