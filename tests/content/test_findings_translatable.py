"""A story finding keeps its English for `kiosk check` and its msgid for the admin."""

from __future__ import annotations

import msgspec

from kiosk.content.findings import Finding, place
from kiosk.content.phrase import Phrase
from kiosk.content.validate import Report


def test_a_finding_made_of_phrases_prints_english_and_keeps_its_msgid():
    rep = Report("stories/mara.yaml", {"scenes.offer": (12, 3)})
    rep.warn("scenes.offer", "unreachable", Phrase('no path reaches scene "%(scene)s"',
                                                   scene="offer"),
             Phrase("link to it, or remove it"))
    f = rep.findings[0]
    assert f.format() == ('stories/mara.yaml:12:3: warning: no path reaches scene "offer" '
                          "(link to it, or remove it)")
    assert (f.msgid, f.params) == ('no path reaches scene "%(scene)s"', {"scene": "offer"})
    assert f.hint_msgid == "link to it, or remove it"
    # The compiled cache stores findings with msgspec: the msgid survives the round trip.
    back = msgspec.json.decode(msgspec.json.encode(f), type=Finding)
    assert back.phrase().msgid == f.msgid and back.phrase().params == {"scene": "offer"}


def test_a_plain_finding_has_no_msgid_and_its_phrase_is_the_message():
    f = Finding("error", "internal", "pack.yaml could not be read")
    assert f.msgid == "" and f.phrase() == "pack.yaml could not be read"


def test_a_data_path_reads_the_way_staff_say_it():
    assert place("scenes.offer") == "scene 'offer'"
    assert place("scenes.offer.choices[1]") == "scene 'offer', choice 2"
    assert place("scenes.offer.choices[0].label") == "scene 'offer', choice 1, field 'label'"
    assert place("scenes.home.text") == "scene 'home', field 'text'"
    assert place("helplines[0].verified", {"helplines[0]": "bris"}) == \
        "helpline 'bris', field 'verified'"
    assert place("helplines[1].name.sv") == "helpline 2, field 'name.sv'"
    assert place("surveys.after[0].options[2].label") == \
        "question 1 after the story, option 3, field 'label'"
    assert place("content_notes.coercion.label") == "content note 'coercion', field 'label'"
    assert place("default_language") == "field 'default_language'"
    assert place("") == ""
    assert place("scenes.offer.choices[1]").params == {"scene": "offer", "n": "2"}
