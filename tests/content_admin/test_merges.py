"""Two people edit one story: each one's change is kept, a field both changed is chosen.

The testers' scenario (issue 19): a curator opens a scene, a translator saves Italian for
it, the curator saves a Swedish word with the form opened before: both are kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import pytest

from admin.db import database
from admin.models import Role
from admin.models_content import Revision
from tests.support.admin_pages import form_values

SCENE = "/stories/test/ana/scenes/home"
HOME_TEXT = "line:ana/scenes/home/text"


@pytest.fixture
def pack_root(pack_root):
    """The test pack, translated into Italian as well (Swedish is its source)."""
    pack = pack_root / "pack.yaml"
    pack.write_text(pack.read_text().replace("languages: [sv, en]", "languages: [sv, en, it]"))
    return pack_root


def _story(pack_root) -> str:
    return (pack_root / "stories" / "ana.yaml").read_text()


def _save_scene(client, page, **changes):
    data = form_values(page)
    data.update(changes)
    return client.post(SCENE, data=data)


def _save_italian(client, page, text):
    data = form_values(page)
    data[HOME_TEXT] = text
    return client.post("/translations/test/ana/it", data=data)


def _now() -> str:
    return datetime.now(UTC).strftime("%H:%M")


def test_a_translators_italian_survives_a_curators_stale_swedish_save(as_role, pack_root, app):
    curator = as_role(Role.CURATOR)
    translator = as_role(Role.TRANSLATOR, languages="it")
    scene_page = curator.get(SCENE).get_data(as_text=True)
    side = translator.get("/translations/test/ana?target=it").get_data(as_text=True)
    before = _now()
    assert _save_italian(translator, side, "Ana riceve un'offerta.").status_code == 303
    after = _now()
    assert "Ana riceve un'offerta." in _story(pack_root)

    r = _save_scene(curator, scene_page, **{"text.sv": "Ana får ett jobberbjudande."})
    assert r.status_code == 302, r.get_data(as_text=True)
    text = _story(pack_root)
    assert "Ana riceve un'offerta." in text and "Ana får ett jobberbjudande." in text
    assert "Ana gets an offer." in text
    shown = unescape(curator.get(SCENE).get_data(as_text=True))
    who = translator.user.username
    assert (f"Merged with {who}'s change of {before} UTC." in shown
            or f"Merged with {who}'s change of {after} UTC." in shown)
    with database(app).session() as db:
        revs = db.query(Revision).order_by(Revision.id).all()
        assert [r.actor for r in revs] == [who, curator.user.username]
        assert revs[1].before == revs[0].after  # the merge was saved on the translator's file


def test_both_change_the_same_swedish_text_and_the_person_chooses(as_role, pack_root, app):
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    translator = as_role(Role.TRANSLATOR, languages="it")
    page_b = bob.get(SCENE).get_data(as_text=True)
    page_a = alice.get(SCENE).get_data(as_text=True)
    side = translator.get("/translations/test/ana?target=it").get_data(as_text=True)
    assert _save_scene(alice, page_a, **{"text.sv": "Alices mening."}).status_code == 302
    assert _save_italian(translator, _fresh(translator, side), "Frase italiana.").status_code \
        == 303
    saved = _story(pack_root)

    r = _save_scene(bob, page_b, **{"text.sv": "Bobs mening.", "text.en": "Bob's sentence."})
    html = r.get_data(as_text=True)
    assert r.status_code == 409
    assert _story(pack_root) == saved  # nothing is written before the choice
    row = unescape(html.split("<tbody>")[1].split("</tbody>")[0])
    assert "Text · Svenska" in row and "Alices mening." in row and "Bobs mening." in row
    assert "Bob's sentence." not in row  # only Bob changed English: merged, not asked
    assert "sv:" not in html and "text: {" not in html  # plain words, never YAML
    assert f"{alice.user.username} changed this story at" in html

    choice = form_values(html)
    choice["choose:text.sv"] = "mine"
    r = bob.post(SCENE, data=choice)
    assert r.status_code == 302, r.get_data(as_text=True)
    text = _story(pack_root)
    assert "Bobs mening." in text and "Alices mening." not in text
    assert "Bob's sentence." in text and "Frase italiana." in text
    shown = unescape(bob.get(SCENE).get_data(as_text=True))
    assert f"Merged with {alice.user.username}'s change of" in shown
    assert f"Merged with {translator.user.username}'s change of" in shown
    with database(app).session() as db:
        last = db.query(Revision).order_by(Revision.id.desc()).first()
        assert last.actor == bob.user.username and last.before == saved


def _fresh(client, page):
    """The translator's page as it is now (the file changed since `page` was fetched)."""
    return client.get("/translations/test/ana?target=it").get_data(as_text=True)


def test_keeping_theirs_writes_only_the_other_fields(as_role, pack_root):
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(SCENE).get_data(as_text=True)
    _save_scene(alice, alice.get(SCENE).get_data(as_text=True), **{"text.sv": "Alices mening."})
    html = _save_scene(bob, page_b, **{"text.sv": "Bobs mening.",
                                       "text.en": "Bob's sentence."}).get_data(as_text=True)
    choice = form_values(html)
    choice["choose:text.sv"] = "theirs"
    assert bob.post(SCENE, data=choice).status_code == 302
    text = _story(pack_root)
    assert "Alices mening." in text and "Bobs mening." not in text and "Bob's sentence." in text


def test_a_choice_left_open_saves_nothing_and_asks_again(as_role, pack_root):
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(SCENE).get_data(as_text=True)
    _save_scene(alice, alice.get(SCENE).get_data(as_text=True), **{"text.sv": "Alices mening."})
    html = _save_scene(bob, page_b, **{"text.sv": "Bobs mening."}).get_data(as_text=True)
    saved = _story(pack_root)
    r = bob.post(SCENE, data=form_values(html))  # no radio chosen
    again = unescape(r.get_data(as_text=True))
    assert r.status_code == 400
    assert _story(pack_root) == saved
    assert "Choose which text to keep for every field." in again
    assert "Alices mening." in again and "Bobs mening." in again


def test_the_conflict_names_who_saved_after_the_form_was_opened_and_when(as_role, pack_root):
    """The form's text existed before (Alice changed it and restored it): the page names
    Carol, whose save came after Bob opened the form, at the time she saved."""
    alice, bob, carol = (as_role(Role.CURATOR), as_role(Role.EDITOR), as_role(Role.EDITOR))
    _save_scene(alice, alice.get(SCENE).get_data(as_text=True), **{"text.sv": "Tillfälligt."})
    history = alice.get("/stories/test/ana/history").get_data(as_text=True)
    rev_id = history.split("/stories/test/revisions/")[1].split('"')[0]
    rev_page = alice.get(f"/stories/test/revisions/{rev_id}").get_data(as_text=True)
    assert alice.post(f"/stories/test/revisions/{rev_id}/restore",
                      data={**form_values(rev_page), "which": "before"}).status_code == 302
    page_b = bob.get(SCENE).get_data(as_text=True)
    before = _now()
    _save_scene(carol, carol.get(SCENE).get_data(as_text=True), **{"text.sv": "Carols."})
    after = _now()
    html = unescape(_save_scene(bob, page_b, **{"text.sv": "Bobs."}).get_data(as_text=True))
    assert any(f"{carol.user.username} changed this story at {t} UTC, after you opened it."
               in html for t in (before, after)), html
    assert alice.user.username not in html


def test_a_file_changed_outside_the_admin_is_never_reverted(editor, pack_root):
    """No revision holds the form's text: every field the two disagree on is asked."""
    page = editor.get(SCENE).get_data(as_text=True)
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana gets an offer.", "Edited by hand."))
    r = _save_scene(editor, page, **{"text.sv": "Min mening."})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 409
    assert "changed outside the admin" in html and "Edited by hand." in html
    assert "Text · English" in html and "Text · Svenska" in html


def test_choices_added_on_one_side_merge_with_text_on_the_other(as_role, pack_root):
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(SCENE).get_data(as_text=True)
    page_a = alice.get(SCENE).get_data(as_text=True)
    r = _save_scene(alice, page_a, **{"choices[2].label.sv": "Gå hem",
                                      "choices[2].label.en": "Go home",
                                      "choices[2].goto": "end"})
    assert r.status_code == 302
    r = _save_scene(bob, page_b, **{"text.en": "Ana hears of a job."})
    assert r.status_code == 302, r.get_data(as_text=True)
    text = _story(pack_root)
    assert "Go home" in text and "Ana hears of a job." in text


def test_both_change_the_choices_and_see_them_in_words(as_role, pack_root):
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(SCENE).get_data(as_text=True)
    _save_scene(alice, alice.get(SCENE).get_data(as_text=True),
                **{"choices[2].label.sv": "Gå hem", "choices[2].goto": "end",
                   "text.sv": "Alices mening."})
    saved = _story(pack_root)
    r = _save_scene(bob, page_b, **{"choices[1].remove": "1", "text.sv": "Bobs mening."})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 409 and _story(pack_root) == saved
    row = html.split("<tbody>")[1]
    assert "3. Gå hem → end" in row and "2. Läs mer → advert" in row
    assert "Alices mening." in row  # the text both changed is asked beside the list
    choice = form_values(r.get_data(as_text=True))
    choice.update({"choose:choices": "mine", "choose:text.sv": "theirs"})
    assert bob.post(SCENE, data=choice).status_code == 302
    text = _story(pack_root)
    assert "Läs mer" not in text and "Gå hem" not in text and "Fråga vännen" in text
    assert "Alices mening." in text and "Bobs mening." not in text


def test_two_translators_clash_on_one_line(as_role, pack_root):
    first = as_role(Role.TRANSLATOR, languages="it")
    second = as_role(Role.TRANSLATOR, languages="it")
    page = second.get("/translations/test/ana?target=it").get_data(as_text=True)
    _save_italian(first, first.get("/translations/test/ana?target=it").get_data(as_text=True),
                  "Prima versione.")
    r = _save_italian(second, page, "Seconda versione.")
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 409
    assert "Scene home · text · Italiano" in html and "Prima versione." in html
    assert "Seconda versione." not in _story(pack_root)
    choice = form_values(r.get_data(as_text=True))
    choice[f"choose:{HOME_TEXT}"] = "mine"
    assert second.post("/translations/test/ana/it", data=choice).status_code == 303
    assert "Seconda versione." in _story(pack_root)


def test_the_merge_path_never_writes_a_language_the_user_may_not_edit(as_role, pack_root):
    """A translator of Italian posts a clash resolution to the Swedish (source) save, or
    smuggles the Swedish field into the Italian one: refused, or only Italian written."""
    translator = as_role(Role.TRANSLATOR, languages="it")
    curator = as_role(Role.CURATOR)
    page = translator.get("/translations/test/ana?target=it").get_data(as_text=True)
    _save_scene(curator, curator.get(SCENE).get_data(as_text=True),
                **{"text.it": "Del curatore."})
    html = _save_italian(translator, page, "Del traduttore.").get_data(as_text=True)
    choice = form_values(html)
    choice[f"choose:{HOME_TEXT}"] = "mine"
    before = _story(pack_root)
    assert translator.post("/translations/test/ana/sv", data=choice).status_code == 403
    assert _story(pack_root) == before
    choice.update({"mine:text.sv": "Smugglad.", "theirs:text.sv": "x", "choose:text.sv": "mine",
                   "mine:line:ana/scenes/friend/text": "x", "theirs:line:ana/scenes/friend/text":
                   "y", "choose:line:ana/scenes/friend/text": "mine"})
    assert translator.post("/translations/test/ana/it", data=choice).status_code == 303
    text = _story(pack_root)
    assert "Del traduttore." in text and "Smugglad." not in text
    assert "Vännen är orolig." in text  # the source line stays


def test_a_new_way_on_against_a_changed_next_scene_is_asked(as_role, pack_root):
    """Alice ends the story at "friend"; Bob, on the old form, sends "friend" on to "end"
    instead of "advert": neither is dropped silently, the way on is chosen."""
    friend = "/stories/test/ana/scenes/friend"
    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(friend).get_data(as_text=True)
    data = form_values(alice.get(friend).get_data(as_text=True))
    data.update({"way": "ending", "ending.helped.sv": "Vännen.", "ending.helped.en": "The friend."})
    assert alice.post(friend, data=data).status_code == 302
    saved = _story(pack_root)
    data = form_values(page_b)
    data["next"] = "end"
    r = bob.post(friend, data=data)
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 409 and _story(pack_root) == saved
    row = html.split("<tbody>")[1]
    assert "How the story goes on" in row
    assert "The story ends here" in row and "Next scene" in row
    assert 'value="ending"' in row and 'value="next"' in row  # the choice posts the way's value
    choice = form_values(r.get_data(as_text=True))
    assert 'name="choose:way"' in row and 'name="choose:next"' in row  # next: both changed
    choice.update({"choose:way": "mine", "choose:next": "mine"})
    r = bob.post(friend, data=choice)
    assert r.status_code == 302, r.get_data(as_text=True)
    text = _story(pack_root)
    assert "next: end" in text and "Vännen." not in text


def _waiting_on(lock_file) -> bool:
    """True when some process waits in /proc/locks for a flock on this file."""
    inode = f":{lock_file.stat().st_ino}"
    return any("->" in row.split() and any(x.endswith(inode) for x in row.split())
               for row in open("/proc/locks").read().splitlines())


def test_a_save_landing_during_the_merge_is_merged_too(as_role, pack_root, app):
    """Bob's merged save waits for the file's lock; meanwhile another writer changes another
    scene. His save merges again on that text: all three changes are in the file."""
    import fcntl
    import threading
    import time
    from pathlib import Path

    from admin.content.storyfile import _lock_file

    alice, bob = as_role(Role.CURATOR), as_role(Role.EDITOR)
    page_b = bob.get(SCENE).get_data(as_text=True)
    _save_scene(alice, alice.get(SCENE).get_data(as_text=True), **{"text.sv": "Alices mening."})
    path = pack_root / "stories" / "ana.yaml"
    lock_dir = Path(app.instance_path) / "content-cache" / "locks"
    lock = _lock_file(lock_dir, path)
    held = lock.open("a")
    fcntl.flock(held, fcntl.LOCK_EX)
    answer = {}
    worker = threading.Thread(target=lambda: answer.update(
        r=_save_scene(bob, page_b, **{"text.en": "Bob's sentence."})))
    worker.start()
    try:
        deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
        while not _waiting_on(lock):
            assert worker.is_alive() and time.monotonic() < deadline, "the save never waited"
            time.sleep(0.01)
        path.write_text(path.read_text().replace("Vännen är orolig.", "Vännen är rädd."))
    finally:
        held.close()
        worker.join(60)
    assert answer["r"].status_code == 302, answer["r"].get_data(as_text=True)
    text = _story(pack_root)
    assert "Alices mening." in text and "Bob's sentence." in text and "Vännen är rädd." in text
