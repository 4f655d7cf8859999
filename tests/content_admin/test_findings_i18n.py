"""The validator's findings speak the staff member's language in the admin; `kiosk check`
keeps the English. Paths read the way staff say them."""

from __future__ import annotations

import re

import pytest
import yaml

from kiosk.content import load_pack
from tests.content_admin.test_i18n_walk import english_only_words, leaks
from tests.support.admin_pages import csrf_from


def _speaking(client, lang):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    client.post("/account/language", data={"csrf_token": token, "ui_language": lang})
    return client


def test_a_missing_translation_is_said_in_swedish_with_the_scene_named(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: {sv: Vännen är orolig., en: The friend is worried.}",
        "text: {sv: Vännen är orolig.}"), encoding="utf-8")
    english = [f.format() for f in load_pack(pack_root).findings
               if f.code == "missing-translation"]
    assert any("scenes.friend.text has no en text" in line for line in english)  # the CLI's
    page = _speaking(editor, "sv").get("/stories/test/ana").get_data(as_text=True)
    page = page.replace("&#39;", "'")
    assert "scenen 'friend', fält 'text' saknar text på en" in page
    assert "has no en text" not in page


def test_a_hint_is_translated_too(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("goto: advert", "goto: advret", 1),
                    encoding="utf-8")
    page = _speaking(editor, "it").get("/stories/test/ana").get_data(as_text=True)
    page = page.replace("&#34;", '"').replace("&#39;", "'")
    assert 'porta alla scena "advret", che non esiste' in page
    assert 'forse intendevate "advert"?' in page


# A pack with findings of every other kind: pack-level (a helpline's language, a helpline's
# text, an attract picture), file shape (a story that is not YAML, a value of the wrong
# type, an unknown key) and media (a picture that is not there).
_PACK_EDITS = [
    ("pack.yaml", "languages: [sv, en]\n", "languages: [sv, en, gr]\n"),
    ("pack.yaml", "    hours: {sv: Dygnet runt, en: 24/7}\n",
     "    hours: {sv: Dygnet runt}\n    languages: [sv, zz]\n    colour: red\n"),
    ("pack.yaml", "kiosk:\n  idle_timeout: 60\n",
     "kiosk:\n  idle_timeout: soon\n  attract: [gone.jpg]\n"),
    ("stories/ana.yaml", "if: asked\n", "if: asked &\n"),
    ("stories/ana.yaml", "    next: advert\n", "    next: advert\n    image: lost.jpg\n"),
    ("stories/ana.yaml", "    image: lost.jpg\n",
     "    image: lost.jpg\n    captions: {sv: late.vtt}\n"),
    # an interface-string override the kiosk does not have, and sound it cannot play
    ("pack.yaml", "kiosk:\n", 'strings:\n  sv:\n    "Leave noww": "Gå nu"\nkiosk:\n'),
    ("stories/ana.yaml", "    captions: {sv: late.vtt}\n",
     "    captions: {sv: late.vtt}\n    narration: {sv: speex.ogg}\n"),
]
# What each language says for three of them (the helpline named by its id, as staff read it)
_SAID = {
    "sv": ['"gr" är ingen språkkod: GR är landskoden för Grekland',
           'villkoret "asked &" kan inte läsas: oväntat tecken "&"',
           "“Leave noww” är ingen av kioskens gränssnittstexter (menade du “Leave now”?)",
           "media/speex.ogg: ljudkodeken är speex; kiosken spelar aac, mp3",
           "media/late.vtt:3: textrutan slutar innan den börjar", "stödlinjen 'eu-112', fält 'hours' saknar text på en",
           "filen media/gone.jpg finns inte", "ogiltig YAML: ett kolon med värde"],
    "it": ['"gr" non è un codice di lingua: GR è il codice di paese di Grecia',
           'impossibile leggere la condizione "asked &": carattere inatteso "&"',
           "“Leave noww” non è un testo dell'interfaccia del chiosco (forse intendevi "
           "“Leave now”?)",
           "media/speex.ogg: il codec audio è speex; il chiosco riproduce aac, mp3",
           "media/late.vtt:3: il sottotitolo finisce prima di iniziare", "linea di aiuto 'eu-112', campo 'hours' non ha testo in en",
           "il file media/gone.jpg non esiste", "YAML non valido: qui non è ammesso"],
    "lv": ['"gr" nav valodas kods: GR ir valsts kods (Grieķija)',
           'nosacījumu "asked &" nevar nolasīt: negaidīta rakstzīme "&"',
           "“Leave noww” nav kioska saskarnes teksts (vai domājāt “Leave now”?)",
           "media/speex.ogg: audio kodeks ir speex; kiosks atskaņo aac, mp3",
           "media/late.vtt:3: subtitrs beidzas, pirms sākas", "palīdzības tālrunis 'eu-112', lauks 'hours' nav teksta valodā en",
           "fails media/gone.jpg neeksistē", "nederīgs YAML: vērtība pēc kola"],
    "el": ['Το "gr" δεν είναι κωδικός γλώσσας: GR είναι ο κωδικός χώρας για Ελλάδα',
           'η συνθήκη "asked &" δεν διαβάζεται: απρόσμενος χαρακτήρας "&"',
           "“Leave noww” δεν είναι κείμενο της διεπαφής του περιπτέρου (μήπως εννοείτε "
           "“Leave now”;)",
           "media/speex.ogg: ο κωδικοποιητής ήχου είναι speex· το περίπτερο παίζει aac, mp3",
           "media/late.vtt:3: ο υπότιτλος τελειώνει πριν αρχίσει", "γραμμή βοήθειας 'eu-112', πεδίο 'hours': δεν υπάρχει κείμενο στα en",
           "το αρχείο media/gone.jpg δεν υπάρχει", "μη έγκυρο YAML: τιμή μετά"],
}


def _phrases(root, *names: str) -> re.Pattern:
    """The pack's own phrases (staff's content, not the interface), blanked out of the pages
    as the i18n walk does; read with libyaml, and only from files that are YAML at all."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(node.get("scenes") or {})  # scene ids ("end") are names too
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and " " in node.strip():  # one word makes no run
            found.add(" ".join(node.split()))

    for path in root.rglob("*.yaml"):
        try:
            walk(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            continue
    alternatives = sorted(found | set(names), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")


def _break(pack_root):
    for rel, old, new in _PACK_EDITS:
        path = pack_root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (pack_root / "media" / "late.vtt").write_text("WEBVTT\n\n00:02.000 --> 00:01.000\nHej\n",
                                                  encoding="utf-8")
    (pack_root / "stories" / "broken.yaml").write_text("id: broken\ntitle: a: b\n",
                                                       encoding="utf-8")
    # an Ogg file whose sound is Speex, which the kiosk cannot play
    (pack_root / "media" / "speex.ogg").write_bytes(
        b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1eSpeex   " + b"\x00" * 200)


@pytest.mark.parametrize("lang", ["sv", "it", "lv", "el"])
def test_pack_file_and_media_findings_speak_the_staff_members_language(editor, pack_root, lang):
    _break(pack_root)
    english = [f.format() for f in load_pack(pack_root).findings]
    cli = "\n".join(english)  # `kiosk check` keeps its English and its data paths
    for said in ('"gr" is not a language code: GR is the country code of Greece',
                 "helplines[0].hours has no en text", "the file media/gone.jpg does not exist",
                 "invalid YAML: mapping values are not allowed in this context",
                 'answers in "zz", a language code CLDR does not know',
                 'unknown key "colour" in a helpline', "idle_timeout should be a whole number",
                 "the file media/lost.jpg does not exist",
                 'the condition "asked &" cannot be read: unexpected character "&"',
                 "media/late.vtt:3: the cue ends before it starts",
                 "“Leave noww” is not a kiosk interface string (did you mean “Leave now”?)",
                 "media/speex.ogg: the audio codec is speex; the kiosk plays aac, mp3"):
        assert said in cli, said
    words = english_only_words(lang)
    # the kiosk's msgids name the interface string an override is for: data, not interface
    blank = _phrases(pack_root, "Leave noww", "Leave now")
    client = _speaking(editor, lang)
    pages = {url: client.get(url).get_data(as_text=True).replace("&#39;", "'").replace(
        "&#34;", '"').replace("&amp;", "&") for url in ("/stories/", "/stories/test/ana", "/packs/test/settings",
                                  "/packs/")}
    shown = "\n".join(pages.values())
    for said in _SAID[lang]:
        assert said in shown, said
    assert "media/lost.jpg" in pages["/stories/test/ana"]
    assert "zz" in pages["/stories/"] and "colour" in pages["/stories/"]
    # why it cannot be bundled: the errors, said in the language too (not as code)
    assert "stories/broken.yaml:2:9" in pages["/packs/"]
    assert _SAID[lang][0] in pages["/packs/"] and _SAID[lang][-1] in pages["/packs/"]
    found = {url: leaks(html, words, blank) for url, html in pages.items()}
    assert found == {url: [] for url in pages}, found


def test_the_same_pages_in_english_show_the_english_findings(editor, pack_root):
    """The leak check sees these findings when they are English (it is not vacuous)."""
    _break(pack_root)
    page = _speaking(editor, "en").get("/stories/").get_data(as_text=True)
    assert leaks(page, english_only_words("sv"), _phrases(pack_root))


def test_a_malformed_value_in_a_form_is_refused_in_the_staff_members_language(editor, pack_root):
    from tests.support.admin_pages import form_values

    client = _speaking(editor, "sv")
    url = "/stories/test/ana/scenes/home"
    data = form_values(client.get(url).get_data(as_text=True))
    data["choices[0].set"] = "x"
    r = client.post(url, data=data)
    page = r.get_data(as_text=True).replace("&#34;", '"')
    assert r.status_code == 400 and '"x" är inte namn=värde' in page
    assert "is not name=value" not in page


@pytest.mark.parametrize("lang, name", [("sv", "Sverige"), ("it", "Svezia"),
                                        ("lv", "Zviedrija"), ("el", "Σουηδία")])
def test_the_packs_country_is_named_in_the_staff_members_language(editor, lang, name):
    """CLDR's names (Babel's Locale(lang).territories), not the English "Sweden"."""
    page = _speaking(editor, lang).get("/stories/").get_data(as_text=True)
    assert name in page and "Sweden" not in page


@pytest.mark.parametrize("lang, name", [("sv", "el (grekiska)"), ("it", "el (greco)"),
                                        ("lv", "el (grieķu)"), ("el", "el (Ελληνικά)")])
def test_a_language_in_a_hint_is_named_in_the_staff_members_language(app, lang, name):
    """'did you mean el (Greek)?' names the language from CLDR in the staff's language."""
    from admin.i18n import reason
    from kiosk.i18n.languages import UnknownLanguage, pack_language

    with pytest.raises(UnknownLanguage) as caught:
        pack_language("gr")
    assert "el (Greek)" in str(caught.value.hint)  # the command line's English
    with app.test_request_context(headers={"Accept-Language": lang}):
        said = reason(caught.value.hint)
    assert name in said and "Greek" not in said, said
