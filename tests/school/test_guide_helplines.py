"""The teacher's guide lists the helplines a visitor at the kiosk is shown (ETHICS.md rule 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

from admin.school.guide import build
from kiosk.content import load_pack
from tests.support.fixture_date import TODAY

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "valid"
ITALIAN_LINE = '''  - id: it-numero-verde
    name: Numero Verde Antitratta
    number: "800 290 290"
    hours: {sv: Dygnet runt, en: 24/7}
    countries: [IT]
    verified: 2026-11-20
'''


def guide_numbers(tmp_path, country: str, keep_112: bool) -> list[str]:
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    pack_yaml = root / "pack.yaml"
    text = pack_yaml.read_text().replace("country: SE", f"country: {country}")
    first = text.index("  - id: eu-112")
    end = text.index("content_notes:")
    lines = (text[first:end] if keep_112 else "") + ITALIAN_LINE
    pack_yaml.write_text(text[:first] + lines + text[end:])
    story = root / "stories" / "ana.yaml"  # the consent covers both countries
    story.write_text(story.read_text().replace("countries: [SE]", "countries: [SE, IT]"))
    loaded = load_pack(root, today=TODAY)
    assert loaded.ok, [f.format() for f in loaded.findings]
    return [h["number"] for h in build(loaded.pack, "ana", "en").helplines]


def test_the_guide_lists_the_lines_reachable_in_the_packs_country(tmp_path):
    assert guide_numbers(tmp_path, "IT", keep_112=True) == ["112", "800 290 290"]
    assert guide_numbers(tmp_path / "se", "SE", keep_112=True) == ["112"]


def test_a_pack_with_no_line_for_its_country_lists_them_all_as_the_kiosk_does(tmp_path):
    assert guide_numbers(tmp_path, "SE", keep_112=False) == ["800 290 290"]
