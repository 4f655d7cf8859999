"""A translator works side by side, in their languages only; PO files go out and come back."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from admin.models import Role
from tests.support.admin_pages import csrf_from, form_values

SIDE = "/translations/test/ana?target=en"


def _po(client) -> object:
    r = client.get("/translations/test/po/en.po")
    assert r.status_code == 200
    return read_po(io.BytesIO(r.data))


def _upload(client, catalog, language="en"):
    buf = io.BytesIO()
    write_po(buf, catalog, width=0)
    token = csrf_from(client.get("/translations/").get_data(as_text=True))
    return client.post(f"/translations/test/po/{language}", data={
        "csrf_token": token, "po": (io.BytesIO(buf.getvalue()), "en.po")},
        content_type="multipart/form-data")


def test_a_translator_sees_only_their_languages(as_role):
    t = as_role(Role.TRANSLATOR, languages="en")
    assert t.get(SIDE).status_code == 200
    assert t.get("/translations/test/ana?target=sv").status_code == 403
    assert t.get("/translations/test/po/sv.po").status_code == 403
    index = t.get("/translations/").get_data(as_text=True)
    assert "en.po" in index and "sv.po" not in index
    assert t.get("/stories/test/ana/scenes/home").status_code == 403


def test_a_translator_cannot_save_another_language(as_role, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    page = t.get(SIDE).get_data(as_text=True)
    data = form_values(page)
    r = t.post("/translations/test/ana/sv", data=data)
    assert r.status_code == 403


def test_missing_and_out_of_date_are_marked(as_role, editor, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(", en: The friend is worried.", ""))
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-friend-text" class="state-missing"' in page
    # An editor changes the Swedish source of the first scene: English is now out of date.
    scene = editor.get("/stories/test/ana/scenes/home").get_data(as_text=True)
    data = form_values(scene)
    data["text.sv"] = "Ana får ett nytt erbjudande."
    assert editor.post("/stories/test/ana/scenes/home", data=data).status_code == 302
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-home-text" class="state-outdated"' in page
    # The translator updates it: current again.
    data = form_values(page)
    data["line:ana/scenes/home/text"] = "Ana gets a new offer."
    r = t.post("/translations/test/ana/en", data=data)
    assert r.status_code == 303
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-home-text" class="state-current"' in page
    assert "Ana gets a new offer." in path.read_text()


def test_po_export_then_import_reports_added_and_changed(as_role, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(", en: The friend is worried.", ""))
    cat = _po(t)
    cat.get("Vännen är orolig.", context="ana/scenes/friend/text").string = "The friend worries."
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "An offer."
    r = _upload(t, cat)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "1 added, 1 changed" in html
    text = path.read_text()
    assert "The friend worries." in text and "en: An offer." in text


def _refused(client, path, cat, words):
    before = path.read_text()
    r = _upload(client, cat)
    html = r.get_data(as_text=True).replace("&#39;", "'")
    assert r.status_code == 422, html
    assert "nothing was changed" in html and words in html
    assert path.read_text() == before


def test_a_po_file_with_a_broken_placeholder_changes_nothing(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana gets help.", '"Ana gets help from {helper}."')
                    .replace("Ana får hjälp.", '"Ana får hjälp av {helper}."'))
    cat = _po(editor)
    cat.get("Ana får hjälp av {helper}.", context="ana/scenes/end/text").string = \
        "Ana gets help from {helpr}."
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "Fine."
    _refused(editor, path, cat, "placeholders differ")


def test_a_po_file_with_an_unknown_id_changes_nothing(editor, pack_root):
    cat = _po(editor)
    cat.add("Hej", "Hello", context="ana/scenes/nowhere/text")
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "Fine."
    _refused(editor, pack_root / "stories" / "ana.yaml", cat, "unknown id")


def test_a_po_file_for_an_old_source_changes_nothing(editor, pack_root):
    cat = _po(editor)
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana får ett erbjudande.", "Ana får ett brev."))
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "A letter."
    _refused(editor, path, cat, "source text changed")


def test_a_po_file_in_another_language_changes_nothing(editor, pack_root):
    cat = _po(editor)
    cat.locale = "it"
    _refused(editor, pack_root / "stories" / "ana.yaml", cat, "not en")


def test_not_a_po_file_changes_nothing(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    token = csrf_from(editor.get("/translations/").get_data(as_text=True))
    r = editor.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(b'msgid "a\nmsgstr'), "x.po")},
        content_type="multipart/form-data")
    assert r.status_code == 422 and "not a readable PO file" in r.get_data(as_text=True)
    assert path.read_text() == before


def test_the_side_by_side_save_merges_a_stale_page(as_role, editor, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    page = t.get(SIDE).get_data(as_text=True)
    scene = editor.get("/stories/test/ana/scenes/home").get_data(as_text=True)
    data = form_values(scene)
    data["text.sv"] = "Ändrat."
    editor.post("/stories/test/ana/scenes/home", data=data)
    data = form_values(page)
    data["line:ana/scenes/friend/text"] = "My version."
    r = t.post("/translations/test/ana/en", data=data)
    assert r.status_code == 303
    text = (pack_root / "stories" / "ana.yaml").read_text()
    assert "My version." in text and "Ändrat." in text
    shown = t.get(SIDE).get_data(as_text=True)
    assert f"Saved. Merged with {editor.user.username}&#39;s change of" in shown


def test_line_ids_are_the_runtimes_own_on_the_demo_pack():
    from pathlib import Path

    from admin.content.lines import story_lines
    from kiosk.content import load_pack
    from kiosk.story.ids import lookup

    pack = load_pack(Path(__file__).resolve().parents[2] / "content").pack
    checked = 0
    for story in pack.stories.values():
        for line in story_lines(story):
            if line.id.endswith("/image/alt"):
                continue
            assert lookup(pack, line.id) == line.text, line.id
            checked += 1
    assert checked > 50


def _two_stories(client, pack_root):
    """A second story (bo), and a PO file that changes a line in each of the two."""
    ana = pack_root / "stories" / "ana.yaml"
    bo = pack_root / "stories" / "bo.yaml"
    bo.write_text(ana.read_text().replace("id: ana", "id: bo"))
    cat = _po(client)
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "Ana: an offer."
    cat.get("Ana får ett erbjudande.", context="bo/scenes/home/text").string = "Bo: an offer."
    return ana, bo, cat


def _waiting_on(lock_files) -> bool:
    """True when some process waits in /proc/locks for a flock on one of these files."""
    inodes = {f":{f.stat().st_ino}" for f in lock_files}
    for row in open("/proc/locks").read().splitlines():
        fields = row.split()
        if "->" in fields and any(x.endswith(i) for x in fields for i in inodes):
            return True
    return False


def test_a_story_changed_between_the_check_and_the_write_stops_the_whole_import(
        editor, app, pack_root):
    """The import re-checks every file under its lock before writing any: a real change made
    while it waits for the locks refuses it, and the other story is not written either."""
    import fcntl
    import threading
    import time

    from admin.content.storyfile import _lock_file

    ana, bo, cat = _two_stories(editor, pack_root)
    before_ana = ana.read_text()
    lock_dir = Path(app.instance_path) / "content-cache" / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    files = [_lock_file(lock_dir, p) for p in (ana, bo)]
    held = [f.open("a") for f in files]
    for h in held:
        fcntl.flock(h, fcntl.LOCK_EX)
    answer = {}
    worker = threading.Thread(target=lambda: answer.update(r=_upload(editor, cat)))
    worker.start()
    try:
        deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
        while not _waiting_on(files):
            assert worker.is_alive() and time.monotonic() < deadline, "the import never waited"
            time.sleep(0.01)
        bo.write_text(bo.read_text().replace("Vännen är orolig.", "Vännen är rädd."))
    finally:
        for h in held:
            h.close()
        worker.join(60)
    r = answer["r"]
    html = r.get_data(as_text=True)
    assert r.status_code == 409, html
    assert "a story changed while the file was being imported" in html
    assert "<code>bo</code>" in html
    assert ana.read_text() == before_ana
    assert "Bo: an offer." not in bo.read_text() and "Vännen är rädd." in bo.read_text()
    assert not list(ana.parent.glob(".*.tmp"))


def test_a_write_that_fails_leaves_every_story_as_it_was(editor, pack_root):
    """The operating system refuses a file (larger than the process may write): the temporary
    files are removed and no story file is replaced, not even the one written first."""
    import resource
    import signal

    ana, bo, cat = _two_stories(editor, pack_root)
    bo.write_text(bo.read_text() + ("# " + "x" * 98 + "\n") * 20_000)  # 2 MB
    before = ana.read_text(), bo.read_text()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, hard))
    try:
        r = _upload(editor, cat)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    html = r.get_data(as_text=True)
    assert r.status_code == 500, html
    assert "every one of them was left as it was" in html and "writing failed" in html
    assert (ana.read_text(), bo.read_text()) == before
    assert not list(ana.parent.glob(".*.tmp"))
    r = _upload(editor, cat)  # the same file, nothing in the way: both stories written
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "Ana: an offer." in ana.read_text() and "Bo: an offer." in bo.read_text()


def test_a_translator_reads_only_their_languages_and_the_source(as_role, editor, pack_root):
    """Issue 9: translators *see* and edit only their assigned languages (and the source they
    translate from): no preview, play, side-by-side source, title or diff in another one."""
    pack = pack_root / "pack.yaml"
    pack.write_text(pack.read_text().replace("languages: [sv, en]", "languages: [sv, en, it]"))
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace("en: Ana gets an offer.}",
                                               "en: Ana gets an offer., it: Ana riceve "
                                               "un'offerta.}"))
    data = form_values(editor.get("/stories/test/ana/scenes/friend").get_data(as_text=True))
    data["text.en"] = "The friend is very worried."  # a revision whose diff shows English
    assert editor.post("/stories/test/ana/scenes/friend", data=data).status_code == 302
    t = as_role(Role.TRANSLATOR, languages="it")
    side = t.get("/translations/test/ana?target=it")
    assert side.status_code == 200 and "Ana riceve" in side.get_data(as_text=True)
    assert "Ana gets an offer." not in side.get_data(as_text=True)
    for url in ["/translations/test/ana?target=it&source=en",
                "/translations/test/ana?target=en", "/translations/test/po/en.po",
                "/preview/test/ana/home?lang=en", "/preview/test/ana/home/en.png",
                "/preview/test/ana/play?lang=en", "/stories/test/revisions/1"]:
        assert t.get(url).status_code == 403, url
    token = csrf_from(t.get("/translations/").get_data(as_text=True))
    assert t.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(b""), "en.po")},
        content_type="multipart/form-data").status_code == 403
    preview = t.get("/preview/test/ana/home?lang=it").get_data(as_text=True)
    assert "lang=it" in preview and "lang=sv" in preview and "lang=en" not in preview
    assert t.get("/preview/test/ana/play?lang=sv").status_code == 200
    for page in ("/stories/", "/stories/test/ana", "/translations/",
                 "/stories/test/ana/history"):
        html = t.get(page).get_data(as_text=True)
        assert "Ana&#39;s summer" not in html and "Anas sommar" in html, page
    assert "/stories/test/revisions/1" not in t.get("/stories/test/ana/history").get_data(
        as_text=True)
    # The same pages for an editor: every language, and the diff.
    assert editor.get("/stories/test/revisions/1").status_code == 200
    assert "lang=en" in editor.get("/preview/test/ana/home?lang=it").get_data(as_text=True)


def test_after_a_409_a_translator_still_cannot_save_the_source_language(
        as_role, editor, pack_root):
    """Issue 17: the source (sv here) is the editors'; a translator's post for it is refused
    on every path, even one assigned that language and holding a fresh form after a stale
    save (which now merges instead of answering 409)."""
    story = pack_root / "stories" / "ana.yaml"
    for languages in ("en", "sv,en"):
        t = as_role(Role.TRANSLATOR, languages=languages)
        page = t.get(SIDE).get_data(as_text=True)
        scene = editor.get("/stories/test/ana/scenes/home").get_data(as_text=True)
        data = form_values(scene)
        data["text.sv"] = f"Ändrat {languages}."
        assert editor.post("/stories/test/ana/scenes/home", data=data).status_code == 302
        data = form_values(page)
        data["line:ana/scenes/friend/text"] = "Min version."
        r = t.post("/translations/test/ana/en", data=data)
        assert r.status_code == 303  # a stale form merges (issue 19): the English is saved
        data = form_values(t.get(SIDE).get_data(as_text=True))  # a fresh base hash
        data["line:ana/scenes/friend/text"] = "Min version."
        before = story.read_text()
        assert t.post("/translations/test/ana/sv", data=data).status_code == 403, languages
        assert story.read_text() == before
        assert t.get("/translations/test/ana?target=sv").status_code == 403
        token = csrf_from(t.get("/translations/").get_data(as_text=True))
        assert t.post("/translations/test/po/sv", data={
            "csrf_token": token, "po": (io.BytesIO(b""), "sv.po")},
            content_type="multipart/form-data").status_code == 403
        # The language they translate into is still theirs.
        data = form_values(t.get(SIDE).get_data(as_text=True))
        data["line:ana/scenes/friend/text"] = "My version."
        assert t.post("/translations/test/ana/en", data=data).status_code == 303
