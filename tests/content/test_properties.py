"""Whatever an author's editor or a damaged USB stick does to a pack: findings, never a crash."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import load_pack
from kiosk.content.findings import Finding
from tests.support.fixture_date import TODAY

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"
STORY_TEXT = (VALID / "stories" / "ana.yaml").read_bytes()
PACK_TEXT = (VALID / "pack.yaml").read_bytes()
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assert_only_findings(root: Path) -> None:
    loaded = load_pack(root, today=TODAY)
    for f in loaded.findings:
        assert isinstance(f, Finding) and f.message
        assert f.severity in ("error", "warning")
    if loaded.pack is None:
        assert any(f.severity == "error" for f in loaded.findings)


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """The original bytes with a few random deletions, insertions and swaps."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "swap-lines", "truncate"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "delete":
            del data[pos:pos + draw(st.integers(1, 20))]
        elif op == "insert":
            piece = draw(st.sampled_from([b":", b"-", b"[", b"{", b"&a", b"*a", b"!!python/name:os.system",
                                          b"\n  ", b"\t", b"\xff", b"'", b'"', b"|", b"? ", b"<<: *a",
                                          b"\x00", b"#", b"---\n", b"%YAML 1.1\n", b"~", b"1e999"]))
            data[pos:pos] = piece
        elif op == "replace":
            data[pos:pos + 1] = bytes([draw(st.integers(0, 255))])
        elif op == "swap-lines":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            del data[pos:]
    return bytes(data)


@SETTINGS
@given(story=mutated(STORY_TEXT), pack_yaml=mutated(PACK_TEXT), which=st.integers(0, 2))
def test_mutated_packs_give_findings_never_exceptions(tmp_path_factory, story, pack_yaml, which):
    root = tmp_path_factory.mktemp("pack")
    shutil.copytree(VALID, root, dirs_exist_ok=True)
    if which in (0, 2):
        (root / "stories" / "ana.yaml").write_bytes(story)
    if which in (1, 2):
        (root / "pack.yaml").write_bytes(pack_yaml)
    _assert_only_findings(root)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(string.printable, max_size=20) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(string.ascii_lowercase + "_", min_size=1, max_size=10), children, max_size=5),
    max_leaves=30,
)
keys = st.sampled_from(["id", "title", "summary", "duration", "age_min", "start", "scenes",
                        "consent", "languages", "content_notes", "variables", "sources", "profile"])


@SETTINGS
@given(doc=st.dictionaries(keys, yaml_values, max_size=13),
       scenes=st.dictionaries(st.sampled_from(["home", "end", "x", "Bad Id"]),
                              st.dictionaries(st.sampled_from(["text", "next", "choices", "ending",
                                                               "image", "school", "narration", "video"]),
                                              yaml_values, max_size=5), max_size=4))
def test_well_formed_yaml_of_the_wrong_shape_gives_findings(tmp_path_factory, doc, scenes):
    root = tmp_path_factory.mktemp("pack")
    shutil.copytree(VALID, root, dirs_exist_ok=True)
    if scenes:
        doc["scenes"] = scenes
    (root / "stories" / "ana.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    _assert_only_findings(root)
