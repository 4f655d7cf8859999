"""The pack's anonymous questions before and after a story, and the rating; skippable.

One question at a time; a tap on an answer records it and moves on; Skip passes over one
question. A question and answers too tall for the screen (a short screen at the largest
text) scroll together inside their own area above Skip, clipped to it, with a scroll bar and
a fade at an edge with more beyond; an answer takes taps only where it shows. Back returns to the question before, showing the answer given to it (selected).
After the last question a thank-you (when anything was answered), then on to the story
(before) or back to the stories (after).
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.ui import theme
from kiosk.ui.layouts import control_height
from kiosk.ui.widgets import Button, ScrollBox, label_height, label_width, veil

AGREEMENT = (S.STRONGLY_DISAGREE, S.DISAGREE, S.NEITHER, S.AGREE, S.STRONGLY_AGREE)


class Survey(Screen):
    """Before or after the story."""

    name = "survey"

    def prepare(self, **params) -> None:
        """params: phase="before"|"after", story=id."""
        self.phase = params["phase"]
        self.story = params["story"]
        surveys = self.ctx.pack.surveys
        questions = list(surveys.before if self.phase == "before" else surveys.after)
        if self.phase == "after" and surveys.rating is not None:
            questions.append(surveys.rating)
        self.questions = questions
        self.index = 0
        self.given: dict[int, object] = {}  # question index -> the answer given (for Back)
        self.thanks = not questions
        super().prepare(**params)

    def started(self) -> None:
        """Prepare where the questions lead: the story's first scene, or the stories."""
        if self.phase == "before":
            self.app.flow.warm_story_start(self.story, survey=False)
        else:
            self.app.warm("menu")

    def layout(self, rect: pygame.Rect) -> None:
        """The question and its answers, or the thank-you."""
        m = self.ctx.metrics
        width = min(rect.width, m.u(1300))
        x = rect.centerx - width // 2
        self.col = pygame.Rect(x, rect.y, width, rect.height)
        bh = control_height(m)
        size = m.text("button")
        texts = self.ctx.texts
        if self.thanks:
            label = self.t(S.CONTINUE)
            bw = label_width(texts, label, self.lang, bh, size, m.u(440))
            self.buttons.add(Button("continue", label, self.lang,
                                    pygame.Rect(rect.centerx - bw // 2, rect.bottom - bh,
                                                bw, bh), self._finish, "primary", size))
            return
        question = self.questions[self.index]
        answers = self._answers(question)
        self.question_role = "title"
        self.text_h = self._header_height(question, width)
        first = len(answers) if len(answers) <= 5 and not m.portrait else 1
        if question.kind == "rating":
            first = len(answers)
        # Answers in one row where they fit; else in fewer columns (at larger text the
        # labels wrap and grow taller), the first arrangement that fits under the question.
        room = rect.bottom - bh - m.gap * 3 - (rect.y + self.text_h + m.gap)
        best = None
        for cols in dict.fromkeys((first, 3, 2, 1)):
            if cols > first:
                continue
            rows = (len(answers) + cols - 1) // cols
            aw = (width - (cols - 1) * m.gap) // cols
            ah = max(m.min_target + m.u(40), m.u(110)) if cols > 1 else bh
            answer_size = m.text("small") if cols > 1 else size
            ah = max(label_height(texts, label, self.lang, aw, answer_size, ah)
                     for _value, label in answers)
            total = rows * ah + (rows - 1) * m.gap
            if best is None or total < best[0]:
                best = (total, cols, rows, aw, ah, answer_size)
            if total <= room:
                best = (total, cols, rows, aw, ah, answer_size)
                break
        _total, cols, rows, aw, ah, answer_size = best
        if _total > room:  # a short screen at large text: the question in the heading size
            self.question_role = "heading"
            self.text_h = self._header_height(question, width)
        bottom = rect.bottom - bh - m.gap * 3
        top = max(bottom - _total, rect.y + self.text_h + m.gap)
        # The question and its answers share one area above Skip (down to a gap above it):
        # when they are still too tall for it, they scroll inside it together (the question alone can fill a short
        # screen at the largest text, so the answers could not scroll under it).
        self.box = ScrollBox(pygame.Rect(x, rect.y, width, rect.bottom - bh - m.gap - rect.y),
                             top + _total - rect.y)
        self.answer_rects = []
        for i, (value, label) in enumerate(answers):
            r, c = divmod(i, cols)
            if self.rtl:
                c = cols - 1 - c
            chosen = self.given.get(self.index, object()) == value
            full = pygame.Rect(x + c * (aw + m.gap), top + r * (ah + m.gap), aw, ah)
            self.answer_rects.append(full)
            self.buttons.add(Button(f"answer:{value}", label, self.lang, full.copy(),
                                    lambda v=value: self.answer(v),
                                    "selected" if chosen else "secondary", answer_size))
        self._place()
        skip = self.t(S.SKIP)
        sw = label_width(texts, skip, self.lang, bh, size, m.u(300))
        sx = x if not self.rtl else x + width - sw
        self.buttons.add(Button("skip", skip, self.lang,
                                pygame.Rect(sx, rect.bottom - bh, sw, bh), self.skip,
                                "secondary", size))

    def _answer_buttons(self) -> list[Button]:
        return [b for b in self.buttons.items if b.key.startswith("answer:")]

    def _place(self) -> None:
        """Each answer's touch area: the part of it that shows in the answers' area."""
        for button, rect in zip(self._answer_buttons(), self.answer_rects, strict=True):
            button.rect = rect.move(0, -self.box.offset).clip(self.box.rect)

    def pointer(self, event) -> bool:
        """A drag scrolls the answers (and cancels the answer it started on); a tap answers."""
        if not self.thanks and self.box.pointer(event):
            self._place()
        return super().pointer(event)

    def _answers(self, question) -> list[tuple[object, str]]:
        lines = self.ctx.lines()
        if question.kind == "agreement":
            return [(i + 1, self.t(label)) for i, label in enumerate(AGREEMENT)]
        if question.kind == "single":
            return [(o.id, lines.pick(o.label, o.id)) for o in question.options]
        scale = max(2, min(10, question.scale or 5))
        return [(n, self.t(S.RATING_OF, rating=n, total=scale)) for n in range(1, scale + 1)]

    def _header_height(self, question, width: int) -> int:
        from kiosk.scenes.base import text_height

        lines = self.ctx.lines()
        heading = S.SURVEY_BEFORE if self.phase == "before" else S.SURVEY_AFTER
        return (text_height(self.ctx, self.t(heading), self.lang, width, "heading", True)
                + text_height(self.ctx, self.t(S.ANSWERS_ANONYMOUS), self.lang, width, "small")
                + text_height(self.ctx, lines.pick(question.text, question.id), self.lang,
                              width, self.question_role, True) + self.ctx.metrics.u(120))

    def answer(self, value) -> None:
        """Record an answer and go on."""
        question = self.questions[self.index]
        visit = self.ctx.visit
        if visit is not None:
            if question.kind == "rating":
                visit.record("rating", story=self.story, value=int(value))
            else:
                visit.record("survey_answer", question=question.id, answer=value,
                             phase=self.phase, story=self.story)
        self.given[self.index] = value
        self._next()

    def skip(self) -> None:
        """Skip this question (the next one follows)."""
        self._next()

    def _next(self) -> None:
        self.index += 1
        if self.index < len(self.questions):
            self.rebuild()
        elif self.given:
            self.thanks = True
            self.rebuild()
        else:
            self._finish()  # nothing answered: no thanks for answers, straight on

    def _finish(self) -> None:
        self.app.flow.survey_done(self.phase, self.story)

    def back(self) -> None:
        """Back: the previous question, else the story menu."""
        if self.index > 0 and not self.thanks:
            self.index -= 1
            self.rebuild()
        else:
            self.app.flow.to_menu()

    def draw(self, surface: pygame.Surface) -> None:
        """The question and answers clipped to their area with a scroll cue; the rest."""
        if self.thanks or not self.box.scrollable:
            super().draw(surface)
            return
        surface.fill(theme.BG)
        area, clip = self.box.rect, surface.get_clip()
        surface.set_clip(area.clip(clip) if clip else area)
        self.draw_content(surface)
        answers = self._answer_buttons()
        for button, rect in zip(answers, self.answer_rects, strict=True):
            shown = rect.move(0, -self.box.offset)
            if shown.colliderect(area):
                button.draw(surface, self.ctx.texts, min_size=self.buttons.min_size, rect=shown)
        surface.set_clip(clip)
        self._scroll_cue(surface)
        if self.chrome:
            pygame.draw.rect(surface, theme.CHROME, self.chrome_rect)
        for button in self.buttons.items:
            if button not in answers:
                button.draw(surface, self.ctx.texts, min_size=self.buttons.min_size)

    def _scroll_cue(self, surface: pygame.Surface) -> None:
        """A scroll bar beside the question and answers, and a fade at an edge with more
        beyond it."""
        box, m = self.box, self.ctx.metrics
        box.draw_parts(surface, [])  # the bar only
        fade, steps = m.u(48), 6
        for i in range(steps):  # strongest at the cut edge
            h, alpha = fade // steps, 200 * (steps - i) // steps
            band = pygame.Rect(box.rect.x, 0, box.rect.width, h)
            if box.offset < box.max_offset:
                veil(surface, band.move(0, box.rect.bottom - (i + 1) * h), theme.BG, alpha)
            if box.offset > 0:
                veil(surface, band.move(0, box.rect.y + i * h), theme.BG, alpha)

    def draw_content(self, surface: pygame.Surface) -> None:
        """Headings and the question."""
        ctx, m, c = self.ctx, self.ctx.metrics, self.col
        y = c.y
        if self.thanks:
            y = c.y + c.height // 3
            y += put_text(surface, ctx, self.t(S.THANK_YOU), self.lang, c.x, y, c.width,
                          "title", theme.INK, True, "center") + m.gap
            put_text(surface, ctx, self.t(S.THANKS_FOR_ANSWERS), self.lang, c.x, y, c.width,
                     "body", theme.MUTED, False, "center")
            return
        question = self.questions[self.index]
        heading = S.SURVEY_BEFORE if self.phase == "before" else S.SURVEY_AFTER
        y -= self.box.offset
        y += put_text(surface, ctx, self.t(heading), self.lang, c.x, y, c.width, "heading",
                      theme.INK, True)
        y += put_text(surface, ctx, self.t(S.ANSWERS_ANONYMOUS), self.lang, c.x, y, c.width,
                      "small", theme.MUTED)
        y += m.u(40)
        y += put_text(surface, ctx, self.t(S.QUESTION_OF, current=self.index + 1,
                                           total=len(self.questions)), self.lang, c.x, y,
                      c.width, "small", theme.PRIMARY, True) + m.u(12)
        put_text(surface, ctx, ctx.lines().pick(question.text, question.id), self.lang, c.x, y,
                 c.width, self.question_role, theme.INK, True)
