"""The README and docs/ link to files and headings that exist (a moved section leaves no dead link).

Anchors follow GitHub's rule for heading ids (lower case, punctuation dropped, spaces to
hyphens), written out here from that rule rather than taken from the admin's help module.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def github_anchor(heading: str) -> str:
    """GitHub's id for a heading: lower case, only word characters, spaces and hyphens kept."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {github_anchor(m) for m in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def test_github_anchor_follows_githubs_rule():
    assert github_anchor("Content packs and `kiosk check`") == "content-packs-and-kiosk-check"
    assert github_anchor("Teacher's guide") == "teachers-guide"
    assert github_anchor("What to check at a new venue") == "what-to-check-at-a-new-venue"


def test_every_relative_link_reaches_a_file_and_heading():
    dead = []
    checked = 0
    for page in PAGES:
        text = FENCE.sub("", page.read_text(encoding="utf-8"))
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            checked += 1
            name, _, anchor = target.partition("#")
            dest = (page.parent / name).resolve() if name else page
            if not dest.exists():
                dead.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                dead.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert checked > 50, "the pattern finds too few links: the test would miss dead ones"
    assert dead == []


def test_each_guide_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guides = sorted((ROOT / "docs" / "guides").glob("*.md"))
    assert {g.stem for g in guides} >= {"touring-team", "curators", "translators",
                                         "pedagogues", "administrators"}
    assert [g.name for g in guides if f"docs/guides/{g.name}" not in readme] == []


def test_the_readme_stays_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    # .ci/run runs the README's test command, which sets everything up itself.
    assert "bash scripts/test" in readme and "bash scripts/test" in (ROOT / ".ci/run").read_text()
    assert "installs everything" in readme
