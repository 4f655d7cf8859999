"""Fixtures for the runtime tests: every test that plays a story runs twice, straight and
with the state saved to a dict (through JSON) and loaded back after every step."""

from __future__ import annotations

import itertools
import json

import pytest

from kiosk.story import StoryEngine, StoryState
from tests.support.story_transcripts import load


class Drive:
    """One engine and one state, driven by a test; `mode` says whether the state makes a
    round trip through a plain dict after every step."""

    def __init__(self, pack, story: str, roundtrip: bool, school: bool = False):
        self.events: list[dict] = []
        ticks = itertools.count(1)
        self.engine = StoryEngine(pack, story, school=school, clock=lambda: float(next(ticks)),
                                  emit=self.events.append)
        self.roundtrip = roundtrip
        self.state: StoryState | None = None

    def _after(self) -> None:
        if self.roundtrip:
            data = json.loads(json.dumps(self.state.to_dict()))
            again = StoryState.from_dict(data)
            assert again == self.state
            self.state = again

    def start(self, language: str | None = None) -> StoryState:
        """Start the story."""
        self.state = self.engine.start(language)
        self._after()
        return self.state

    def do(self, verb: str, *args):
        """Call an engine move on the state (then the round trip, if any), even when it
        raises: a refused move must leave a state that still round-trips."""
        try:
            return getattr(self.engine, verb)(self.state, *args)
        finally:
            self._after()

    def view(self):
        """The current view."""
        return self.engine.view(self.state)

    def kinds(self) -> list[str]:
        """The kinds of the events so far."""
        return [e["kind"] for e in self.events]


@pytest.fixture(params=["straight", "roundtrip"])
def mode(request) -> str:
    """Run the test straight, and again with a dict round trip at every step."""
    return request.param


@pytest.fixture
def trail():
    """The runtime's own fixture pack (tests/story/fixtures/trail)."""
    return load("trail")


@pytest.fixture
def drive(mode, trail):
    """A driver factory: drive("ferry"), drive("lesson", school=True)."""
    return lambda story, school=False, pack=None: Drive(pack or trail, story,
                                                        mode == "roundtrip", school)
