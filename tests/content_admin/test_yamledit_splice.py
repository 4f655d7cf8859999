"""Whole-document edits write only the top-level blocks that changed; the rest of the file
stays byte for byte, and the result always reads back as the edited document."""

from __future__ import annotations

import difflib

import yaml

from admin.content.yamledit import dump, edit_document, load, plain

TEXT = """\
# A pack header, with comments an author wrote.
id: demo   # never renamed
title:
  sv: Berättelser
  en: Stories
helplines:
  - &eu {id: eu-112, name: '112', number: '112'}
  - id: se
    name: Stödlinjen
    same_as: *eu
kiosk:
  idle_timeout: 90   # seconds
  narration_autoplay: true

# surveys come last
surveys: {}
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def whole(text: str, change) -> str:
    """What writing the whole document gives (the reference for the data)."""
    doc = load(text)
    change(doc)
    return dump(doc)


def test_a_changed_block_is_written_and_nothing_else_moves():
    def change(d):
        d["kiosk"]["idle_timeout"] = 120
    new = edit_document(TEXT, change)
    # ruamel keeps the comment's column: the longer value takes one of its spaces
    assert changed_lines(TEXT, new) == ["-  idle_timeout: 90   # seconds",
                                        "+  idle_timeout: 120  # seconds"]
    assert yaml.safe_load(new) == yaml.safe_load(whole(TEXT, change))


def test_the_first_block_keeps_the_files_opening_comment_and_its_own():
    def change(d):
        d["id"] = "demo2"
    new = edit_document(TEXT, change)
    assert new.startswith("# A pack header, with comments an author wrote.\nid: demo2  # never")
    assert len(changed_lines(TEXT, new)) == 2


def test_the_last_block_ends_the_file_as_before():
    def change(d):
        d["surveys"] = {"before": []}
    new = edit_document(TEXT, change)
    assert new.endswith("surveys:\n  before: []\n")
    assert "# surveys come last\n" in new
    assert yaml.safe_load(new)["surveys"] == {"before": []}


def test_a_block_with_anchors_or_a_new_key_goes_through_the_whole_document():
    def anchors(d):
        d["helplines"][1]["name"] = "Stödlinjen för vuxna"

    def new_key(d):
        d["country"] = "SE"
    for change in (anchors, new_key):
        new = edit_document(TEXT, change)
        assert new == whole(TEXT, change)
        assert yaml.safe_load(new) == plain(_changed(TEXT, change))


def _changed(text, change):
    doc = load(text)
    change(doc)
    return doc


def test_comments_after_the_last_block_stay_when_it_changes():
    """ruamel hangs a file's closing comments on the document, not on the last block: a
    splice that rewrote the last block's lines without them lost 20,000 lines of comments."""
    text = TEXT + "# closing remarks\n" + "# more\n\n"

    def change(d):
        d["surveys"] = {"before": []}
    new = edit_document(text, change)
    assert new.endswith("surveys:\n  before: []\n# closing remarks\n# more\n\n")
    assert len(changed_lines(text, new)) == 3  # one line out, two in
