"""The story engine: a pure state machine over one story of a loaded pack.

The host drives it in a loop (ink's way): read `view(state)`, then `advance`, `choose`,
`back`, `skip` or `leave`. The engine holds the story and settings only; all of a visitor's
progress lives in the StoryState it is handed, which it updates in place (and returns, for
convenience). It does no I/O: events go to the `emit` callback as plain dicts.

Decisions the format leaves open, made here:
- A scene is entered by start, `next`, a choice or a skip; each entry counts a visit.
  `back` returns to the previous scene of the path with the variables as they were when
  it was shown; it does not count a visit, and does not undo visits (the visitor saw it).
- A choice applies `set` first, then `add` (an unset variable counts as 0; a non-number is
  replaced by the added amount, with a logged warning).
- When no choice's condition holds, the scene offers its last choice (authors put the
  fallback last), with one logged warning: a visitor is never stranded.
- School mode: entering a scene with a `school` alternative enters the alternative instead
  (following a chain of alternatives); it counts as a visit to both. The mode is kept in
  the state: a state keeps the mode it was started in.
- An `emit` callback that raises is logged (once) and otherwise ignored: the move completes.
- `skip` (only for a scene with a content note): a scene with `next` is left for the next
  one; a scene with choices, or an ending, stays, with its passage hidden
  (`view.passage_skipped`, no `text_line`) so the visitor sees just the choices, or the
  ending's "what helped" and "what you can do" (and the helplines). Skipping an already
  skipped passage does nothing. `unskip` undoes a skip that hid the current passage (the
  visitor went Back to the scene's content note).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.content.conditions import evaluate
from kiosk.content.model import Choice, Pack, Scene
from kiosk.content.model import Story as StoryModel
from kiosk.story import ids
from kiosk.story.errors import StoryError
from kiosk.story.state import Phase, StoryState
from kiosk.story.view import ChoiceView, SceneView

log = logging.getLogger(__name__)

Emit = Callable[[dict], None]


class StoryEngine:
    """Plays one story of a pack; see the module docstring for the rules. (The story itself,
    the content, is `kiosk.content.model.Story`.)"""

    def __init__(self, pack: Pack, story_id: str, school: bool = False,
                 clock: Callable[[], float] = time.monotonic, emit: Emit | None = None):
        story = pack.stories.get(story_id)
        if story is None:
            known = ", ".join(sorted(pack.stories)) or "none"
            raise StoryError(f'pack "{pack.id}" has no story "{story_id}" (its stories: {known})',
                             story=story_id)
        self.pack = pack
        self.story: StoryModel = story
        self.school = school
        self.clock = clock
        self.emit = emit
        self._remaining = _remaining(story)
        self._warned: set[str] = set()

    # -- reading -----------------------------------------------------------------------

    def phase(self, state: StoryState) -> Phase:
        """The phase the state is in: SHOWING, AWAITING_CHOICE or ENDED."""
        scene = self.scene(state)
        if state.left or scene.ending is not None:
            return Phase.ENDED
        return Phase.SHOWING if scene.next else Phase.AWAITING_CHOICE

    def scene(self, state: StoryState) -> Scene:
        """The model Scene the state is at (StoryError when the state does not fit)."""
        self.check(state)
        return self.story.scenes[state.scene_id]

    def check(self, state: StoryState) -> None:
        """Raise StoryError unless the state belongs to this story (e.g. after a restart
        with a new pack version that lost the scene)."""
        sid = self.story.id
        if state.story != sid:
            raise StoryError(f'the state is of story "{state.story}", not "{sid}"',
                             story=state.story, scene=state.scene_id)
        for scene in [*state.path, state.scene_id]:
            if scene not in self.story.scenes:
                raise StoryError(f'the state is at scene "{scene}", which story "{sid}" '
                                 f"does not have", story=sid, scene=scene)

    def choices(self, state: StoryState) -> list[Choice]:
        """The choices on offer now (conditions evaluated); empty unless awaiting a choice."""
        if self.phase(state) is not Phase.AWAITING_CHOICE:
            return []
        scene = self.story.scenes[state.scene_id]
        on = [c for c in scene.choices if self._holds(c, state)]
        if not on and scene.choices:
            self._warn(state.scene_id, f'no choice\'s condition holds in scene '
                                       f'"{state.scene_id}" of story "{self.story.id}": '
                                       f"offering its last choice")
            on = [scene.choices[-1]]
        return on

    def view(self, state: StoryState) -> SceneView:
        """The view model of the current scene, text as line ids (see SceneView)."""
        phase = self.phase(state)
        sid, story = state.scene_id, self.story.id
        scene = self.story.scenes[sid]
        ending = scene.ending
        step = len(state.path)
        return SceneView(
            story_id=story,
            scene_id=sid,
            phase=phase,
            scene=scene,
            language=state.language,
            choices=[ChoiceView(c.id, ids.choice_line(story, sid, c.id, "label"),
                                ids.choice_line(story, sid, c.id, "discussion")
                                if c.discussion else None)
                     for c in self.choices(state)],
            is_ending=ending is not None,
            has_next=bool(scene.next) and not state.left,
            left=state.left,
            step=step,
            estimate=max(step, step - 1 + self._remaining.get(sid, len(self.story.scenes))),
            content_notes=list(scene.content_notes),
            can_go_back=len(state.path) > 1 and not state.left,
            can_skip=bool(scene.content_notes) and not state.passage_skipped and not state.left,
            passage_skipped=state.passage_skipped,
            is_first=sid == self._resolve(self.story.start, state.school),
            text_line=ids.scene_line(story, sid, "text")
            if scene.text and not state.passage_skipped else None,
            ending_helped_line=ids.scene_line(story, sid, "ending/helped")
            if ending and ending.helped else None,
            ending_action_line=ids.scene_line(story, sid, "ending/action")
            if ending and ending.action else None,
            discussion_line=ids.scene_line(story, sid, "discussion") if scene.discussion else None,
        )

    # -- moving ------------------------------------------------------------------------

    @property
    def languages(self) -> list[str]:
        """The languages this story is offered in (its own list, as far as the pack has them)."""
        return [lang for lang in self.story.languages if lang in self.pack.languages]

    def language_for(self, wanted: str | None) -> str:
        """The language to play the story in for a visitor who wants `wanted`: that one when
        the story offers it, else the pack's default when the story offers that, else the
        story's first language. For hosts that must not refuse a visitor (the kiosk)."""
        offered = self.languages
        if wanted in offered:
            return wanted
        if self.pack.default_language in offered or not offered:
            return self.pack.default_language
        return offered[0]

    def start(self, language: str | None = None) -> StoryState:
        """A new visit at the story's first scene (emits story_started, scene_entered).

        `language` must be one the story offers (`languages`); None takes `language_for(None)`.
        """
        if language is None:
            language = self.language_for(None)
        self._check_language(language, None)
        state = StoryState(story=self.story.id, scene_id=self.story.start, language=language,
                           school=self.school, variables=dict(self.story.variables))
        self._event("story_started", state, language=language, school=self.school)
        self._enter(state, self.story.start, "start")
        return state

    def advance(self, state: StoryState) -> StoryState:
        """Go on from a scene with `next`; StoryError in any other phase."""
        phase = self.phase(state)
        if phase is not Phase.SHOWING:
            raise StoryError(f'scene "{state.scene_id}" of story "{self.story.id}" has no '
                             f"next scene to go on to ({_phase_words(phase)})",
                             story=self.story.id, scene=state.scene_id)
        state.moves.append("next")
        return self._enter(state, self.story.scenes[state.scene_id].next, "next")

    def choose(self, state: StoryState, choice_id: str) -> StoryState:
        """Take an available choice: apply its set/add, go to its goto; else StoryError."""
        phase = self.phase(state)
        sid, story = state.scene_id, self.story.id
        if phase is not Phase.AWAITING_CHOICE:
            raise StoryError(f'cannot choose "{choice_id}" in scene "{sid}" of story "{story}": '
                             f"no choice is awaited ({_phase_words(phase)})",
                             story=story, scene=sid, choice=choice_id)
        offered = self.choices(state)
        choice = next((c for c in offered if c.id == choice_id), None)
        if choice is None:
            have = ", ".join(c.id for c in offered)
            known = any(c.id == choice_id for c in self.story.scenes[sid].choices)
            why = "is not available now (its condition does not hold)" if known else \
                "does not exist"
            raise StoryError(f'choice "{choice_id}" of scene "{sid}" in story "{story}" {why}; '
                             f"the choices on offer are: {have}",
                             story=story, scene=sid, choice=choice_id)
        for name, value in choice.set.items():
            state.variables[name] = value
        for name, amount in choice.add.items():
            state.variables[name] = self._plus(state.variables.get(name, 0), amount, name)
        state.moves.append(f"choice:{choice.id}")
        self._event("choice_made", state, choice=choice.id, goto=choice.goto)
        return self._enter(state, choice.goto, "choice")

    def back(self, state: StoryState) -> StoryState:
        """Return to the previous scene, variables as they were there; StoryError at start."""
        self.check(state)
        if state.left:
            raise StoryError(f'the visitor left story "{self.story.id}"; there is no way back',
                             story=self.story.id, scene=state.scene_id)
        if len(state.path) < 2:
            raise StoryError(f'scene "{state.scene_id}" is the start of story '
                             f'"{self.story.id}": there is no scene to go back to',
                             story=self.story.id, scene=state.scene_id)
        state.path.pop()
        state.moves.pop()
        state.snapshots.pop()
        state.scene_id = state.path[-1]
        state.variables = dict(state.snapshots[-1])
        state.ending = None
        state.passage_skipped = False
        self._event("scene_entered", state, via="back", step=len(state.path))
        return state

    def skip(self, state: StoryState) -> StoryState:
        """Skip a scene with a content note (see the module docstring for where it lands)."""
        scene = self.scene(state)
        sid = state.scene_id
        if not scene.content_notes:
            raise StoryError(f'scene "{sid}" of story "{self.story.id}" has no content note; '
                             f"only a scene with a content note can be skipped",
                             story=self.story.id, scene=sid)
        if state.left:
            raise StoryError(f'the visitor left story "{self.story.id}"; nothing to skip',
                             story=self.story.id, scene=sid)
        if state.passage_skipped:
            return state
        self._event("scene_skipped", state, notes=list(scene.content_notes))
        if scene.next:
            state.moves.append("skip")
            return self._enter(state, scene.next, "skip")
        state.passage_skipped = True
        return state

    def unskip(self, state: StoryState) -> StoryState:
        """Show the current scene's passage again after `skip` hid it (nothing otherwise)."""
        self.check(state)
        state.passage_skipped = False
        return state

    def leave(self, state: StoryState) -> StoryState:
        """The visitor left (Leave now, or idle): emits story_left once; the phase is ENDED."""
        self.check(state)
        if not state.left:
            state.left = True
            self._event("story_left", state, step=len(state.path), ending=state.ending)
        return state

    def set_language(self, state: StoryState, language: str) -> StoryState:
        """Switch language in place: same scene, same variables (emits language_changed).

        StoryError (nothing changes) for a language the story does not offer."""
        self.check(state)
        self._check_language(language, state)
        if language != state.language:
            old, state.language = state.language, language
            self._event("language_changed", state, language=language, previous=old)
        return state

    # -- inside --------------------------------------------------------------------------

    def _enter(self, state: StoryState, target: str, via: str) -> StoryState:
        actual = self._resolve(target, state.school)
        state.scene_id = actual
        state.path.append(actual)
        state.snapshots.append(dict(state.variables))
        state.passage_skipped = False
        for sid in {target, actual}:
            state.visits[sid] = state.visits.get(sid, 0) + 1
        extra = {"instead_of": target} if actual != target else {}
        self._event("scene_entered", state, via=via, step=len(state.path), **extra)
        if self.story.scenes[actual].ending is not None:
            state.ending = actual
            self._event("story_ended", state, ending=actual)
        return state

    def _resolve(self, target: str, school: bool) -> str:
        seen = {target}
        while school:
            alt = self.story.scenes[target].school
            if not alt or alt not in self.story.scenes or alt in seen:
                break
            target = alt
            seen.add(alt)
        return target

    def _holds(self, choice: Choice, state: StoryState) -> bool:
        return choice.condition is None or evaluate(choice.condition, state.variables,
                                                    state.visits)

    def _plus(self, current: object, amount: int | float, name: str) -> int | float:
        if isinstance(current, bool):
            current = int(current)
        if not isinstance(current, (int, float)):
            self._warn(f"add:{name}", f'variable "{name}" of story "{self.story.id}" is not a '
                                      f"number; add replaces it")
            current = 0
        return current + amount

    def _check_language(self, language: str, state: StoryState | None) -> None:
        offered = self.languages
        if language not in offered:
            where = "" if language in self.pack.languages else \
                f' (nor does pack "{self.pack.id}")'
            raise StoryError(f'story "{self.story.id}" does not offer language "{language}"'
                             f"{where}; it offers {', '.join(offered) or 'none'}",
                             story=self.story.id, scene=state.scene_id if state else None)

    def _event(self, kind: str, state: StoryState, **extra) -> None:
        if self.emit is None:
            return
        event = {"kind": kind, "t": float(self.clock()), "story": self.story.id,
                 "scene": state.scene_id, **extra}
        try:
            self.emit(event)
        except Exception:  # a failing recorder must not break a visitor's story mid-move
            if "emit" not in self._warned:
                self._warned.add("emit")
                log.exception("the story event callback failed; the story goes on")

    def _warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)



def _phase_words(phase: Phase) -> str:
    return {Phase.SHOWING: "it goes on with next, not a choice",
            Phase.AWAITING_CHOICE: "it awaits a choice",
            Phase.ENDED: "the story has ended"}[phase]


def _remaining(story: StoryModel) -> dict[str, int]:
    """Per scene, the fewest scenes from it to an ending, itself included (for estimates)."""
    back: dict[str, list[str]] = {s: [] for s in story.scenes}
    for sid, scene in story.scenes.items():
        for t in scene.targets:
            if t in back:
                back[t].append(sid)
    dist = {s: 1 for s, sc in story.scenes.items() if sc.ending is not None}
    todo = list(dist)
    while todo:
        nxt = []
        for s in todo:
            for p in back[s]:
                if p not in dist:
                    dist[p] = dist[s] + 1
                    nxt.append(p)
        todo = nxt
    return dist
