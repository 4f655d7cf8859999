"""What goes wrong in one file is told at that file: the rest of the pack is still checked,
and a broken field is named, never reported as something missing."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
CONSENT = "consent: {kind: composite-fiction, record: CF-TEST-1, countries: [SE], review_by: 2028-06-30}"


@pytest.mark.parametrize("old,new,path,words", [
    ("review_by: 2028-06-30", "review_by: 2028-13-45", "consent.review_by", "is not a date"),
    ("review_by: 2028-06-30", "review_by: next year", "consent.review_by", "is not a date"),
    ("kind: composite-fiction", "kind: fiction", "consent.kind", "is not one of"),
    ("record: CF-TEST-1, ", "", "consent.record", 'needs "record"'),
])
def test_a_bad_consent_field_is_named_not_called_missing_consent(pack, old, new, path, words):
    pack.edit(STORY, CONSENT, CONSENT.replace(old, new))
    loaded = load_pack(pack.root, today=TODAY)
    errors = [f for f in loaded.findings if f.severity == "error"]
    assert [f.code for f in errors if f.code == "consent-missing"] == [], [f.format() for f in errors]
    named = [f for f in errors if f.path == path and words in f.message]
    assert len(named) == 1 and named[0].file == STORY and named[0].line == 7, [
        f.format() for f in errors]


def test_no_consent_at_all_is_still_called_missing(pack):
    pack.edit(STORY, CONSENT + "\n", "")
    loaded = load_pack(pack.root, today=TODAY)
    assert [f.code for f in loaded.findings] == ["consent-missing"]


def test_an_unexpected_failure_in_one_story_is_a_finding_at_that_file(pack):
    # a whole number longer than Python converts (4,300 digits): nothing in the checks foresees it
    pack.write("stories/huge.yaml", (pack.root / STORY).read_text(encoding="utf-8")
               .replace("id: ana", "id: huge").replace("age_min: 12", "age_min: " + "9" * 5000))
    pack.edit(STORY, "goto: friend", "goto: frend")  # the good story's own finding
    loaded = load_pack(pack.root, today=TODAY)
    assert loaded.pack is not None and list(loaded.pack.stories) == ["ana"]
    by_file = {f.file: f for f in loaded.findings if f.severity == "error"}
    assert by_file[STORY].code == "bad-scene" and 'did you mean "friend"' in by_file[STORY].hint
    bad = by_file["stories/huge.yaml"]
    assert bad.code == "internal" and "could not be checked" in bad.message, bad.format()
    assert "pack could not be read" not in bad.message


def test_an_unexpected_failure_while_validating_is_a_finding_at_that_file(pack, monkeypatch):
    # A planted fault in the checks of one story (the real surprises that used to do this, a
    # 5,000-digit subtitle hour among them, are foreseen now): only that file is lost.
    from kiosk.content import validate

    real = validate.check_story

    def check_story(pack_, story, *args, **kwargs):
        if story.id == "bad":
            raise OverflowError("a check met a value it did not foresee")
        return real(pack_, story, *args, **kwargs)

    monkeypatch.setattr(validate, "check_story", check_story)
    pack.write("stories/bad.yaml", (pack.root / STORY).read_text(encoding="utf-8")
               .replace("id: ana", "id: bad"))
    loaded = load_pack(pack.root, today=TODAY)
    assert list(loaded.pack.stories) == ["ana"]
    assert [(f.file, f.code) for f in loaded.findings] == [("stories/bad.yaml", "internal")], [
        f.format() for f in loaded.findings]
