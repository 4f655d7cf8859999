"""Links as Twine 2 reads them: one test per form of the link markup."""

from __future__ import annotations

import pytest

from kiosk.content.twine.links import find


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(link.text, link.target) for link in find(text)]


@pytest.mark.parametrize("text, pairs", [
    ("[[Kitchen]]", [("Kitchen", "Kitchen")]),
    ("[[Open the door->Hall]]", [("Open the door", "Hall")]),
    ("[[Hall<-Open the door]]", [("Open the door", "Hall")]),
    ("[[Open the door|Hall]]", [("Open the door", "Hall")]),
    # The rightmost -> is the divider, so the text may hold arrows of its own.
    ("[[a->b->Hall]]", [("a->b", "Hall")]),
    # The leftmost <- is the divider.
    ("[[Hall<-a<-b]]", [("a<-b", "Hall")]),
    # -> is looked for before | (Twine's order).
    ("[[a|b->Hall]]", [("a|b", "Hall")]),
    ("Go [[north]] or [[south->S]].", [("north", "north"), ("south", "S")]),
])
def test_link_forms(text, pairs):
    assert _pairs(text) == pairs


def test_setter_link_keeps_the_setter_apart():
    [link] = find("[[Pay|Shop][$debt to 0]]")
    assert (link.text, link.target, link.setter) == ("Pay", "Shop", "$debt to 0")


def test_bare_link_is_marked_bare():
    assert [link.bare for link in find("[[Hall]] [[Go->Hall]]")] == [True, False]


def test_links_inside_harlowe_hooks():
    text = "(if: $x)[[[Go->Away]]] (else:)[ [[Stay]] ]"
    assert _pairs(text) == [("Go", "Away"), ("Stay", "Stay")]


@pytest.mark.parametrize("text", ["[[https://example.org]]", "[[Site->http://x.org/a]]",
                                  "[[file:///tmp/x]]", "[[]]"])
def test_urls_and_empty_links_are_not_links(text):
    assert find(text) == []
