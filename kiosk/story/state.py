"""A visitor's whole progress through one story, and the phase it is in.

`StoryState` is plain data: everything the engine needs to carry on is here, and nothing
else (no engine, no pack, no clock). It round-trips through a JSON-safe dict, so the kiosk
can survive a restart mid-visit and the admin can replay a path.
"""

from __future__ import annotations

import copy
import enum
import math
from dataclasses import dataclass, field

from kiosk.story.errors import StoryError

STATE_VERSION = 1
Value = bool | int | float | str


class Phase(enum.Enum):
    """Where a story is: showing a scene with `next`, awaiting a choice, or ended."""

    SHOWING = "showing"
    AWAITING_CHOICE = "awaiting_choice"
    ENDED = "ended"


@dataclass
class StoryState:
    """All of one visitor's progress in one story (see the module docstring).

    `path` is the trail from the start to the current scene (`path[-1] == scene_id`);
    `back` shortens it. `moves[i]` says how `path[i]` was left: "next", "skip" or
    "choice:<id>". `snapshots[i]` are the variables as they were on entering `path[i]`.
    `visits` counts every entry into a scene (back does not enter, and does not un-visit).
    `ending` is the id of the ending scene reached; `left` is True once the visitor left.
    `passage_skipped` is True when the visitor skipped the current scene's passage.
    """

    story: str
    scene_id: str
    language: str
    school: bool = False
    path: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    snapshots: list[dict[str, Value]] = field(default_factory=list)
    variables: dict[str, Value] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    ending: str | None = None
    left: bool = False
    passage_skipped: bool = False

    def to_dict(self) -> dict:
        """A JSON-safe deep copy of the state."""
        return {
            "version": STATE_VERSION,
            "story": self.story,
            "scene": self.scene_id,
            "language": self.language,
            "school": self.school,
            "path": list(self.path),
            "moves": list(self.moves),
            "snapshots": copy.deepcopy(self.snapshots),
            "variables": dict(self.variables),
            "visits": dict(self.visits),
            "ending": self.ending,
            "left": self.left,
            "passage_skipped": self.passage_skipped,
        }

    @classmethod
    def from_dict(cls, data: object) -> StoryState:
        """Rebuild a state from `to_dict()`'s output; a malformed dict raises StoryError."""
        if not isinstance(data, dict):
            raise StoryError(f"a saved story state must be a mapping, not {type(data).__name__}")
        if data.get("version") != STATE_VERSION:
            raise StoryError(f"a saved story state of version {data.get('version')!r} cannot be "
                             f"loaded (this runtime reads version {STATE_VERSION})")
        story = _get(data, "story", str)
        state = cls(
            story=story,
            scene_id=_get(data, "scene", str),
            language=_get(data, "language", str),
            school=_get(data, "school", bool),
            path=_strings(data, "path"),
            moves=_strings(data, "moves"),
            snapshots=[_values(v, "snapshots") for v in _get(data, "snapshots", list)],
            variables=_values(data.get("variables"), "variables"),
            visits=_counts(data.get("visits")),
            ending=_get(data, "ending", str, optional=True),
            left=_get(data, "left", bool),
            passage_skipped=_get(data, "passage_skipped", bool),
        )
        if not state.path or state.path[-1] != state.scene_id:
            raise StoryError(f'a saved state of story "{story}" is at scene "{state.scene_id}" '
                             f"but its path ends elsewhere", story=story, scene=state.scene_id)
        if len(state.moves) != len(state.path) - 1 or len(state.snapshots) != len(state.path):
            raise StoryError(f'a saved state of story "{story}" has a path, moves and snapshots '
                             f"of lengths that do not fit together", story=story)
        return state


def _get(data: dict, key: str, kind: type, optional: bool = False):
    value = data.get(key)
    if value is None and optional:
        return None
    # bool is an int: keep "school": 1 from passing as a flag and True from passing as a count
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise StoryError(f'a saved story state needs "{key}" as {kind.__name__}, '
                         f"found {value!r}")
    return value


def _strings(data: dict, key: str) -> list[str]:
    items = _get(data, key, list)
    if not all(isinstance(x, str) for x in items):
        raise StoryError(f'a saved story state needs "{key}" as a list of strings')
    return list(items)


def _values(value: object, key: str) -> dict[str, Value]:
    if not isinstance(value, dict):
        raise StoryError(f'a saved story state needs "{key}" as a mapping')
    for name, v in value.items():
        ok = isinstance(v, (bool, int, str)) or (isinstance(v, float) and math.isfinite(v))
        if not isinstance(name, str) or not ok:
            raise StoryError(f'a saved story state has a bad variable in "{key}": '
                             f"{name!r} = {v!r}")
    return dict(value)


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in value.items()
    ):
        raise StoryError('a saved story state needs "visits" as a mapping of scene -> count')
    return dict(value)
