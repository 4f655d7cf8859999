"""Content notes before a story starts (continue or choose another story), and before a scene
that carries a note (continue or skip the scene)."""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen
from kiosk.scenes.media_panel import passage_media_box, prefetch_scenes
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, ScrollBox, label_height


def note_texts(ctx, note_ids: list[str]) -> list[tuple[str, str]]:
    """(label, description) of each note id in the visitor's language."""
    lines, notes = ctx.lines(), ctx.pack.content_notes
    out = []
    for note in note_ids:
        entry = notes.get(note)
        if entry is None:
            out.append((note, ""))
        else:
            description = lines.pick(entry.description, note) if entry.description else ""
            out.append((lines.pick(entry.label, note), description))
    return out


class ContentNote(Screen):
    """What the story (or the scene) contains, before it is shown."""

    name = "content_note"

    def prepare(self, **params) -> None:
        """params: story=id, and scene_view=SceneView for a scene's note."""
        self.scene_view = params.get("scene_view")
        story = self.ctx.pack.stories[params["story"]]
        self.story_id = story.id
        self.notes = note_texts(self.ctx, self.scene_view.content_notes if self.scene_view
                                else story.content_notes)
        super().prepare(**params)

    def started(self) -> None:
        """While the visitor reads the note, what comes next is prepared."""
        if self.scene_view:
            self.app.flow.warm_after(self.scene_view, note=True)
            return
        story = self.ctx.pack.stories[self.story_id]
        self.app.next_frame(lambda: prefetch_scenes(self.ctx, story.id, [story.start],
                                                    passage_media_box(self.ctx)))
        self.app.flow.warm_story_start(story.id)

    def layout(self, rect: pygame.Rect) -> None:
        """Heading, notes (scrolling if long), then the two ways on."""
        m = self.ctx.metrics
        flow = self.app.flow
        width = min(rect.width, m.u(1200))
        self.col = pygame.Rect(rect.centerx - width // 2, rect.y, width, rect.height)
        if self.scene_view:
            first = (S.CONTINUE, flow.scene_note_continue)
            second = (S.SKIP_SCENE, flow.skip_scene)
        else:
            first = (S.CONTINUE, lambda: flow.confirm_story(self.story_id))
            second = (S.CHOOSE_ANOTHER_STORY, flow.to_menu)
        bw = (width - m.gap * 2) // 2
        bh = max(label_height(self.ctx.texts, self.t(label), self.lang, bw, m.text("button"),
                              control_height(m)) for label, _action in (first, second))
        buttons_y = rect.bottom - bh
        specs = [("continue", first, "primary"), ("other", second, "secondary")]
        if self.rtl:
            specs.reverse()
        for i, (key, (label, action), style) in enumerate(specs):
            x = self.col.x + i * (bw + 2 * m.gap)
            self.buttons.add(Button(key, self.t(label), self.lang,
                                    pygame.Rect(x, buttons_y, bw, bh), action, style,
                                    m.text("button")))
        self.text_rect = pygame.Rect(self.col.x, rect.y, width, buttons_y - rect.y - m.gap)
        self.parts, height = self._body(width - m.u(20))
        self.box = ScrollBox(self.text_rect.inflate(-m.u(20), 0), height)

    def _body(self, width: int) -> tuple[list[tuple[object, tuple, int]], int]:
        """The laid-out blocks of the notes with their colours and heights; total height."""
        ctx, m = self.ctx, self.ctx.metrics
        heading = S.SCENE_NOTE_HEADING if self.scene_view else S.CONTENT_NOTE_HEADING
        title = "" if self.scene_view else ctx.lines().story_title(self.story_id)
        parts = []
        if title:
            parts.append((title, "title", theme.INK, True))
        parts.append((self.t(heading), "heading", theme.INK, True))
        for label, description in self.notes:
            parts.append(("•  " + label, "body", theme.INK, True))
            if description:
                parts.append((description, "body", theme.MUTED, False))
        parts.append((self.t(S.YOU_CAN_LEAVE), "body", theme.PRIMARY, False))
        placed, y = [], 0
        for t, role, color, bold in parts:
            block = ctx.texts.block(t, self.lang, width, m.text(role), bold)
            placed.append((block, color, y))
            y += block.height + m.u(18)
        return placed, y

    def draw_content(self, surface: pygame.Surface) -> None:
        """The notes."""
        self.box.draw_parts(surface, [(b.render(c), y) for b, c, y in self.parts])

    def pointer(self, event) -> bool:
        """Scroll the notes or press a button."""
        return self.box.pointer(event) or super().pointer(event)

    def back(self) -> None:
        """Back: the menu, or (for a scene's note) the scene before."""
        if self.scene_view:
            self.app.flow.back_from_scene_note()
        else:
            self.app.flow.to_menu()
