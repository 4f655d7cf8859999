"""Out of order: the kiosk started with no playable pack and none played before.

Rather than exit to the desktop, the kiosk shows a calm screen: "out of order" and the
European emergency number, 112, in every language the kiosk has a catalogue for (no pack
says which languages the visitors read). The staff corner still opens the PIN pad, where a
technician installs a pack from a USB stick; the screen looks for a playable pack every few
seconds (an install from the admin or `kiosk pack install` counts too) and gives way to the
attract loop as soon as there is one.
"""

from __future__ import annotations

import pygame

from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text
from kiosk.ui import theme

EMERGENCY_NUMBER = "112"  # the EU's emergency number: free, in every country of the tour
CHECK_EVERY_S = 5.0


class OutOfOrder(Screen):
    """No pack to play: 112 and the staff corner."""

    name = "out_of_order"
    chrome = False
    has_back = False

    def shown(self, **params) -> None:
        """Start looking for a playable pack."""
        self.next_check = self.ctx.clock() + CHECK_EVERY_S
        super().shown(**params)

    def update(self, dt: float) -> None:
        """A playable pack appeared (and no staff screen is open): the attract loop."""
        now = self.ctx.clock()
        if now < self.next_check or self.app.manager.has_overlay("staff"):
            return
        self.next_check = now + CHECK_EVERY_S
        if self.app.check_pack():
            self.app.manager.go("attract")

    def lines(self) -> list[tuple[str, str]]:
        """(language, sentence) for every catalogue language: out of order, call 112."""
        out = []
        for lang in self.ctx.catalogs.languages():
            tr = self.ctx.tr(lang)
            out.append((lang, tr.gettext(S.OUT_OF_ORDER) + " "
                        + tr.gettext(S.IN_AN_EMERGENCY_CALL, number=EMERGENCY_NUMBER)))
        return out

    def draw_content(self, surface: pygame.Surface) -> None:
        """The number, large, then one calm sentence per language."""
        w, h = self.ctx.size
        m = self.ctx.metrics
        width = w - 2 * m.margin
        y = h // 5
        y += put_text(surface, self.ctx, EMERGENCY_NUMBER, "en", m.margin, y, width, "title",
                      theme.INK, True, "center") + m.u(40)
        for lang, sentence in self.lines():
            y += put_text(surface, self.ctx, sentence, lang, m.margin, y, width, "body",
                          theme.INK, False, "center") + m.gap
