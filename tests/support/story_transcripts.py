"""Golden playthroughs: replay a transcript's actions and demand exactly its expected lines.

A transcript (tests/story/fixtures/transcripts/*.txt) is a list of actions, each followed by
the lines it must produce, indented by two spaces: every event emitted, then the view of the
scene the visitor is at, its text in the state's language through a LineProvider.

    play trail ferry            # pack folder under fixtures/, story id, optional "school"
    start en
      event story_started language="en" school=false scene=dock
      scene dock awaiting_choice step=1/4
      text Lina waits at the dock ...
      choice c1 Ask the deckhand what he saw
    choose c1
      ...

Actions: start <lang>, advance, choose <id>, back, skip, leave, language <lang>. A refused
move is the line `error <message>`. Anything the transcript does not list fails the replay.
To regenerate a transcript after an intended change (then read the diff!):
    .venv/bin/python -m tests.support.story_transcripts rewrite tests/story/fixtures/transcripts/X.txt
"""

from __future__ import annotations

import difflib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.fixture_date import TODAY

FIXTURES = Path(__file__).resolve().parents[1] / "story" / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


@dataclass
class Step:
    """One action of a transcript and the lines it must produce."""

    action: str
    expect: list[str] = field(default_factory=list)
    line: int = 0


def parse(text: str) -> tuple[list[str], list[Step]]:
    """A transcript's `play` header words and its steps."""
    header: list[str] = []
    steps: list[Step] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("  "):
            if not steps:
                raise ValueError(f"line {n}: an expected line before any action")
            steps[-1].expect.append(raw[2:])
        elif raw.startswith("play "):
            header = raw.split()[1:]
        else:
            steps.append(Step(raw.strip(), line=n))
    if not header:
        raise ValueError("a transcript starts with: play <pack> <story> [school]")
    return header, steps


def load(pack_name: str):
    """The fixture pack of that folder name, loaded (once per process)."""
    from kiosk.content import load_pack

    if pack_name not in _PACKS:
        loaded = load_pack(FIXTURES / pack_name, today=TODAY)
        assert loaded.ok, [str(f) for f in loaded.findings if f.severity == "error"]
        _PACKS[pack_name] = loaded.pack
    return _PACKS[pack_name]


_PACKS: dict = {}


class Player:
    """Drives one engine and one state; in round-trip mode the state is saved to a dict,
    through JSON, and loaded back after every step (so nothing may hide outside the dict)."""

    def __init__(self, pack, story: str, school: bool, roundtrip: bool):
        from kiosk.story import StoryEngine

        self.pack = pack
        self.events: list[dict] = []
        self.engine = StoryEngine(pack, story, school=school, clock=time.monotonic,
                                  emit=self.events.append)
        self.roundtrip = roundtrip
        self.state = None
        self.last_t = float("-inf")

    def act(self, action: str) -> list[str]:
        """Perform one action; the lines it produced."""
        from kiosk.story import StoryError

        words = action.split()
        verb, args = words[0], words[1:]
        out: list[str] = []
        try:
            if verb == "start":
                self.state = self.engine.start(*args)
            else:
                method = {"advance": self.engine.advance, "choose": self.engine.choose,
                          "back": self.engine.back, "skip": self.engine.skip,
                          "leave": self.engine.leave, "language": self.engine.set_language}
                if verb not in method:
                    raise ValueError(f"unknown action {verb!r}")
                returned = method[verb](self.state, *args)
                assert returned is self.state, "a move returns the state it was given"
        except StoryError as exc:
            out.append(f"error {exc}")
        out += [self.event_line(e) for e in self.events]
        self.events.clear()
        if self.state is not None:
            if self.roundtrip:
                self.state = roundtrip(self.state)
            out += render(self.engine, self.state, self.pack)
        return out

    def event_line(self, event: dict) -> str:
        """An event as a transcript line, after checking it is plain, timed data."""
        json.dumps(event)  # plain data only
        assert isinstance(event["t"], float) and event["t"] >= self.last_t, event
        self.last_t = event["t"]
        assert event["story"] == self.engine.story.id
        rest = {k: v for k, v in event.items() if k not in ("kind", "t", "story")}
        return f"event {event['kind']} " + " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}"
                                                   for k, v in rest.items())


def roundtrip(state):
    """The state saved to a dict, through JSON text, and loaded back."""
    from kiosk.story import StoryState

    data = state.to_dict()
    back = StoryState.from_dict(json.loads(json.dumps(data)))
    assert back == state and back.to_dict() == data
    return back


def render(engine, state, pack) -> list[str]:
    """The view of the current scene as transcript lines, text in the state's language."""
    from kiosk.story import LineProvider

    lines = LineProvider(pack, state.language)
    v = engine.view(state)
    out = [f"scene {v.scene_id} {v.phase.value} step={v.step}/{v.estimate}"]
    flags = [name for name, on in (("first", v.is_first), ("back", v.can_go_back),
                                   ("skip", v.can_skip), ("skipped", v.passage_skipped),
                                   ("next", v.has_next), ("ending", v.is_ending),
                                   ("left", v.left)) if on]
    if flags:
        out.append("flags " + " ".join(flags))
    if v.content_notes:
        out.append("notes " + " ".join(v.content_notes))
    for label, line_id in (("text", v.text_line), ("discussion", v.discussion_line),
                           ("helped", v.ending_helped_line), ("action", v.ending_action_line)):
        if line_id:
            out.append(f"{label} {lines.text(line_id)}")
    for c in v.choices:
        out.append(f"choice {c.id} {lines.text(c.label_line)}")
        if c.discussion_line:
            out.append(f"  discussion {lines.text(c.discussion_line)}")
    if state.variables:
        out.append("vars " + " ".join(f"{k}={json.dumps(val)}"
                                      for k, val in sorted(state.variables.items())))
    return out


def replay(path: Path, roundtrip_each_step: bool) -> list[str]:
    """Replay a transcript strictly; the list of mismatches (empty when it matches)."""
    header, steps = parse(path.read_text(encoding="utf-8"))
    player = Player(load(header[0]), header[1], "school" in header[2:], roundtrip_each_step)
    problems = []
    for step in steps:
        got = player.act(step.action)
        if got != step.expect:
            diff = "\n".join(difflib.unified_diff(step.expect, got, "transcript", "engine",
                                                  lineterm="", n=1))
            problems.append(f"{path.name}:{step.line}: `{step.action}`\n{diff}")
            break  # later steps would only repeat the same drift
    return problems


def rewrite(path: Path) -> None:
    """Regenerate a transcript's expected lines from its actions (review the diff after)."""
    text = path.read_text(encoding="utf-8")
    header, steps = parse(text)
    player = Player(load(header[0]), header[1], "school" in header[2:], False)
    out = [raw for raw in text.splitlines() if raw.startswith("#")]
    out.append("play " + " ".join(header))
    for step in steps:
        out.append(step.action)
        out += ["  " + line for line in player.act(step.action)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "rewrite":
        for name in sys.argv[2:]:
            rewrite(Path(name))
    else:
        sys.exit(__doc__)
