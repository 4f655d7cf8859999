"""The runtime and the content model import, and the runtime plays, without pygame (and the
runtime without PyYAML and without opening a file): each in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import msgspec

from tests.support.fixture_date import TODAY
from tests.support.story_transcripts import FIXTURES, load

ROOT = Path(__file__).resolve().parents[2]

BLOCK = r"""
import importlib, pkgutil, sys

BLOCKED = set(sys.argv[1].split(","))

class Block:
    # a finder first on the path: any import of a blocked package fails as if not installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, Block())
for name in BLOCKED:
    sys.modules.pop(name, None)

def import_all(package):
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.iter_modules(pkg.__path__, package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
    return names

def check_clean():
    leaked = [m for m in sys.modules if m.split(".")[0] in BLOCKED]
    assert not leaked, leaked
"""

PLAY = BLOCK + r"""
import builtins, io, os, msgspec
names = import_all("kiosk.story")
from kiosk.content.model import Pack
from kiosk.story import LineProvider, StoryEngine
pack = msgspec.json.decode(sys.stdin.buffer.read(), type=Pack)

def no_files(*args, **kwargs):
    raise AssertionError(f"the runtime opened a file: {args!r}")

builtins.open = io.open = os.open = no_files
events = []
engine = StoryEngine(pack, "ferry", emit=events.append)
state = engine.start("sv")
engine.choose(state, "c1")
engine.advance(state)
engine.choose(state, "call")
lines = LineProvider(pack, "sv")
text = lines.text(engine.view(state).text_line)
check_clean()
print(len(names), state.ending, len(events), text)
"""

CONTENT = BLOCK + r"""
names = import_all("kiosk.content")
from kiosk.content import load_pack
import datetime
loaded = load_pack(sys.argv[2], today=datetime.date.fromisoformat(sys.argv[3]))
check_clean()
print(len(names), loaded.ok, sorted(loaded.pack.stories))
"""


def _run(code: str, *args: str, stdin: bytes = b"") -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, cwd=ROOT,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


def test_the_block_really_blocks():
    code = BLOCK + "\ntry:\n    import pygame\nexcept ModuleNotFoundError:\n    print('blocked')"
    assert _run(code, "pygame") == "blocked"
    code = BLOCK + "\nimport_all('kiosk.content')"
    done = subprocess.run([sys.executable, "-c", code, "yaml"], cwd=ROOT, capture_output=True,
                          timeout=60)
    assert done.returncode != 0 and b"blocked by the test" in done.stderr


def test_the_runtime_plays_without_pygame_yaml_or_files():
    pack = msgspec.json.encode(load("trail"))
    out = _run(PLAY, "pygame,yaml", stdin=pack)
    count, ending, events, text = out.split(" ", 3)
    assert int(count) >= 6 and ending == "call_end" and int(events) == 8
    assert text == "Besättningen ringer polisen i nästa hamn."


def test_the_content_model_loads_a_pack_without_pygame():
    out = _run(CONTENT, "pygame", str(FIXTURES / "trail"), TODAY.isoformat())
    assert out.endswith("True ['ferry', 'lesson']")
