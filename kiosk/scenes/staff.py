"""The staff menu, behind five taps in the staff corner and a PIN.

PIN pad first (the PIN is checked against the argon2 hash in the kiosk's config; after a
wrong PIN the pad waits a little longer each time). Then: the pack and its version, events
waiting to be sent and the record's state, volume, a touch test, content packs (installed
versions with their dates: switch, roll back, install a bundle from a USB stick; see
`kiosk.app.pack_desk`), reload (the pack is checked again and the attract loop returns),
stories off the menu (put them back), quit (asked twice), close.

Staff screens lock themselves: the PIN pad closes after `pin_timeout` seconds without input
and the open menu after `staff_timeout` (`kiosk.json`, 20 and 60 by default); either way the
visit underneath is wiped and the attract loop returns, so five taps in the corner by a
curious visitor never leave the previous visit, or an unlocked menu, on the screen.
The staff menu is in English when no translation exists: staff may not read the visitor's
language.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pygame

from kiosk.app.pack_desk import PackDesk, find_bundles
from kiosk.app.packs import store_root
from kiosk.i18n import strings as S
from kiosk.scenes.base import Screen, put_text, shade
from kiosk.ui import theme
from kiosk.ui.input import DOWN
from kiosk.ui.widgets import Button

log = logging.getLogger(__name__)


class Staff(Screen):
    """PIN pad, then the staff menu."""

    name = "staff"
    chrome = False
    overlay = True

    def shown(self, **params) -> None:
        """Start at the PIN pad."""
        self.pin = ""
        self.unlocked = bool(params.get("unlocked"))
        self.message = ""
        self.wrong = 0
        self.locked_until = 0.0
        self.touch_test = False
        self.touches: list[tuple[int, int]] = []
        self.page = "menu"  # once unlocked: "menu", "packs" or "quit" (the confirmation)
        self.last_input = self.ctx.clock()
        self.desk = PackDesk(store_root(self.ctx.data_dir), self.ctx.packs.today)
        self.pack_changed = False  # a switch or install: closing goes to the attract loop
        self.fleet_message = ""  # what "ask now" or "switch now" did
        self._was_busy = False
        super().shown(**params)

    def update(self, dt: float) -> None:
        """Lock after the timeout without input (never while a pack installs, nor while
        another overlay, the school code pad, is open above)."""
        now = self.ctx.clock()
        busy = self.desk.status.busy
        if self._was_busy and not busy:  # an install ended: show the result and the list
            if self.desk.status.done is not None:
                self.pack_changed = True
                self.ctx.packs.follow_store()
            self.rebuild()
        self._was_busy = busy
        if busy or self.app.manager.top is not self:
            self.last_input = now
            return
        config = self.ctx.config
        limit = config.staff_timeout if self.unlocked else config.pin_timeout
        if now - self.last_input >= limit:
            log.info("staff %s locked after %d s without input",
                     "menu" if self.unlocked else "PIN pad", limit)
            self._leave()

    def layout(self, rect: pygame.Rect) -> None:
        """The pad or the menu."""
        m = self.ctx.metrics
        self.panel = pygame.Rect(0, 0, *self.ctx.size).inflate(-2 * m.margin, -2 * m.margin)
        if self.touch_test:
            self._add("done", S.DONE, self._end_touch_test, self.panel.centerx - m.u(200),
                      self.panel.bottom - m.margin - m.min_target, m.u(400))
        elif not self.unlocked:
            self._pad()
        elif self.page == "packs":
            self._packs()
        elif self.page == "quit":
            self._quit_confirm()
        else:
            self._menu()

    def _add(self, key, label, action, x, y, w, h=None, style="secondary",
             text: str | None = None) -> None:
        """A button: `label` is an interface string, `text` one already in words."""
        m = self.ctx.metrics
        text = text if text is not None else (self.t(label) if label else key)
        self.buttons.add(Button(key, text, self.lang,
                                pygame.Rect(x, y, w, h or m.min_target), action, style,
                                m.text("button")))

    def _pad(self) -> None:
        m = self.ctx.metrics
        side = max(m.min_target, m.u(110))
        x0 = self.panel.centerx - (3 * side + 2 * m.gap) // 2
        y0 = self.panel.y + m.u(220)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"]
        for i, key in enumerate(keys):
            r, c = divmod(i, 3)
            self.buttons.add(Button(f"pin:{key}", key, "en",
                                    pygame.Rect(x0 + c * (side + m.gap), y0 + r * (side + m.gap),
                                                side, side), lambda k=key: self._key(k),
                                    "primary" if key == "OK" else "secondary",
                                    m.text("heading")))
        self._add("cancel", S.CANCEL, self.close, x0, y0 + 4 * (side + m.gap),
                  3 * side + 2 * m.gap)

    def _key(self, key: str) -> None:
        now = self.ctx.clock()
        if now < self.locked_until:
            return
        if key == "C":
            self.pin = ""
        elif key == "OK":
            if not self.ctx.config.staff_pin_hash:
                self.message = self.t(S.NO_PIN, command="kiosk staff-pin")
            elif self.ctx.config.check_pin(self.pin):
                self.unlocked = True
                self.message = ""
                log.info("staff menu opened")
            else:
                self.wrong += 1
                self.locked_until = now + min(30.0, 1.0 * 2 ** (self.wrong - 1))
                self.message = self.t(S.WRONG_PIN)
                log.warning("staff menu: wrong PIN")
            self.pin = ""
            self.rebuild()
        elif len(self.pin) < 12:
            self.pin += key

    def _column(self) -> tuple[int, int, int]:
        """Where the action buttons go (x, y, width): a column on the right of a landscape
        screen, the lower half of a portrait one (the text takes the width above it)."""
        m = self.ctx.metrics
        if m.portrait:
            return self.panel.x + m.margin, self.panel.centery, self.panel.width - 2 * m.margin
        col_w = m.u(560)
        return self.panel.right - m.margin - col_w, self.panel.y + m.margin, col_w

    def _text_width(self) -> int:
        """The width of the text beside (landscape) or above (portrait) the buttons."""
        m = self.ctx.metrics
        inner = self.panel.width - 2 * m.margin
        return inner if m.portrait else inner - m.u(640)

    def _menu(self) -> None:
        m = self.ctx.metrics
        x, y, col_w = self._column()
        step = m.min_target + m.gap
        self._add("volume_down", "−", lambda: self._volume(-0.1), x, y, col_w // 2 - m.gap // 2)
        self._add("volume_up", "+", lambda: self._volume(0.1), x + col_w // 2 + m.gap // 2, y,
                  col_w // 2 - m.gap // 2)
        y += step
        self._add("touch_test", S.TOUCH_TEST, self._start_touch_test, x, y, col_w)
        y += step
        self._add("packs", S.CONTENT_PACKS, lambda: self._page("packs"), x, y, col_w)
        y += step
        self._add("reload", S.RELOAD, self._reload, x, y, col_w)
        y += step
        self._add("restore", S.RESTORE_STORIES, self._restore, x, y, col_w)
        y += step
        school = self.ctx.school
        self._add("school", S.END_SESSION if school else S.SCHOOL_SESSION,
                  lambda: self.app.manager.open_overlay(
                      "school_code", purpose="end" if school else "start"), x, y, col_w)
        y += step
        self._add("quit", S.QUIT, lambda: self._page("quit"), x, y, col_w, style="leave")
        y += step
        self._add("close", S.CLOSE, self.close, x, y, col_w, style="primary")

    def _page(self, page: str) -> None:
        self.page = page
        self.rebuild()

    def _quit_confirm(self) -> None:
        m = self.ctx.metrics
        w = m.u(420)
        y = self.panel.centery
        x = self.panel.centerx - w - m.gap // 2
        self._add("quit_yes", S.YES_QUIT, self._quit, x, y, w, style="leave")
        self._add("quit_no", S.CANCEL, lambda: self._page("menu"), x + w + m.gap, y, w,
                  style="primary")

    def _packs(self) -> None:
        """Installed versions (tap one to play it), bundles on USB sticks (tap to install),
        roll back, back to the menu."""
        m = self.ctx.metrics
        step = m.min_target + m.gap
        right, y, col_w = self._column()
        self._add("rollback", S.ROLL_BACK, self._rollback, right, y, col_w)
        self.buttons.find("rollback").enabled = self.ctx.packs.pack is not None
        self._add("menu", S.BACK, lambda: self._page("menu"), right, y + step, col_w,
                  style="primary")
        self._fleet_buttons(right, y + 2 * step, col_w)
        x = self.panel.x + m.margin
        width = self._text_width()
        y = self.panel.y + m.margin + m.u(200)
        # room for the status line, above the actions on a portrait screen
        self.status_y = (self.panel.centery if m.portrait else self.panel.bottom) - m.u(170)
        bottom = self.status_y - m.gap
        tr = self.ctx.tr()
        for version in self.desk.versions():
            if y + m.min_target > bottom:
                break
            label = f"{version.pack_id} {version.version} · " + tr.gettext(
                S.INSTALLED_ON, date=version.installed)
            if version.active:
                label += " · " + tr.gettext(S.PLAYING_NOW)
            self._add(f"version:{Path(version.folder).name}", None,
                      lambda v=version: self._activate(v), x, y, width,
                      style="selected" if version.active else "card", text=label)
            y += step
        for bundle in find_bundles(self.ctx.config.usb_roots):
            if y + m.min_target > bottom:
                break
            self._add(f"usb:{bundle}", None, lambda b=bundle: self._install(b), x, y, width,
                      text=tr.gettext(S.INSTALL_FROM_USB, file=bundle.name))
            y += step
        for button in self.buttons.items:
            if button.key.startswith(("version:", "usb:")):
                button.enabled = not self.desk.status.busy

    def _fleet_buttons(self, x: int, y: int, width: int) -> None:
        """Packs from the admin: ask now, and switch to a staged pack waiting for staff."""
        fleet = self.app.fleet
        self._add("fleet_check", S.CHECK_FOR_PACKS, self._fleet_check, x, y, width)
        self.buttons.find("fleet_check").enabled = fleet.puller is not None
        planned = fleet.waiting_for_staff()
        if planned and not planned.get("confirmed"):
            step = self.ctx.metrics.min_target + self.ctx.metrics.gap
            self._add("fleet_switch", None, lambda: self._fleet_switch(planned), x, y + step,
                      width, text=self.ctx.tr().gettext(S.SWITCH_NOW, pack=planned["pack_id"],
                                                        version=planned["version"]))

    def _fleet_check(self) -> None:
        if self.app.fleet.check_now():
            self.fleet_message = self.t(S.ASKED_THE_ADMIN)
            self.rebuild()

    def _fleet_switch(self, planned: dict) -> None:
        """Confirmed: the switch happens at the attract loop this menu closes to."""
        if self.app.fleet.confirm():
            self.pack_changed = True
            self.fleet_message = self.ctx.tr().gettext(S.PLAYS_NEXT, pack=planned["pack_id"],
                                                       version=planned["version"])
            self.rebuild()

    def _activate(self, version) -> None:
        if not version.active:
            self.desk.activate(version)
            self._after_switch()

    def _rollback(self) -> None:
        self.desk.rollback(self.ctx.pack.id)
        self._after_switch()

    def _install(self, bundle) -> None:
        self.desk.install(bundle)
        self.rebuild()

    def _after_switch(self) -> None:
        if self.desk.status.switched is not None:
            self.pack_changed = True
            self.ctx.packs.follow_store()
        self.rebuild()

    def _desk_message(self) -> str:
        """The pack desk's progress or last result, in the staff's language."""
        status, tr = self.desk.status, self.ctx.tr()
        if self.fleet_message and not status.busy:
            return self.fleet_message
        if status.busy:
            step = {"unpack": S.INSTALL_UNPACK, "check": S.INSTALL_CHECK,
                    "activate": S.INSTALL_ACTIVATE}.get(status.step, S.INSTALL_UNPACK)
            return tr.gettext(step, file=status.bundle)
        if status.refused:
            return tr.gettext(S.REFUSED_BECAUSE, reason=status.refused[:400])
        if status.done is not None:
            return tr.gettext(S.INSTALLED_PLAYS_NEXT, pack=status.done.pack_id,
                              version=status.done.version)
        if status.switched is not None:
            return tr.gettext(S.PLAYS_NEXT, pack=status.switched.pack_id,
                              version=status.switched.version)
        if not find_bundles(self.ctx.config.usb_roots):
            return tr.gettext(S.NO_USB_BUNDLES)
        return ""

    def _volume(self, delta: float) -> None:
        config = self.ctx.config
        config.volume = round(min(1.0, max(0.0, config.volume + delta)), 2)
        media = self.ctx.media
        if media is not None:
            media.settings.volume = config.volume
            media.apply_settings()
        try:
            config.save()
        except OSError as exc:
            log.error("kiosk config not saved: %s", exc)

    def _start_touch_test(self) -> None:
        self.touch_test, self.touches = True, []
        self.rebuild()

    def _end_touch_test(self) -> None:
        self.touch_test = False
        self.rebuild()

    def _reload(self) -> None:
        self._leave()

    def _leave(self) -> None:
        """Close the staff screens and wipe the visit: the attract loop (which takes up a new
        pack), or, with no pack to play yet, the out-of-order screen."""
        self.close()
        if self.app.out_of_order:
            if self.app.check_pack():
                self.app.manager.go("attract")
            return
        self.app.flow.attract()

    def _restore(self) -> None:
        self.ctx.health.clear()
        log.info("staff put every story back on the menu")
        self.rebuild()

    def _quit(self) -> None:
        log.info("staff quit the kiosk")
        self.app.running = False

    def close(self) -> None:
        """Close the staff overlay (after a pack change: the attract loop, to take it up)."""
        self.app.manager.close_overlay("staff")
        if self.pack_changed:
            self.pack_changed = False
            self._leave()

    def pointer(self, event) -> bool:
        """Everything under the overlay waits."""
        self.last_input = self.ctx.clock()
        if self.touch_test and event.kind == DOWN:
            self.touches = (self.touches + [event.pos])[-50:]
        self.buttons.pointer(event)
        return True

    def draw(self, surface: pygame.Surface) -> None:
        """The panel: pad, menu or touch test."""
        shade(surface, 200)
        pygame.draw.rect(surface, theme.BG, self.panel, border_radius=16)
        m, ctx = self.ctx.metrics, self.ctx
        inner = self.panel.inflate(-2 * m.margin, -2 * m.margin)
        y = inner.y
        y += put_text(surface, ctx, self.t(S.STAFF_MENU), self.lang, inner.x, y, inner.width,
                      "title", theme.INK, True)
        if self.touch_test:
            put_text(surface, ctx, self.t(S.TOUCH_TEST_HINT), self.lang, inner.x, y,
                     inner.width, "body", theme.MUTED)
            for pos in self.touches:
                pygame.draw.circle(surface, theme.PRIMARY, pos, m.u(24), width=4)
        elif not self.unlocked:
            y += put_text(surface, ctx, self.t(S.ENTER_PIN) + "  " + "•" * len(self.pin),
                          self.lang, inner.x, y + m.gap, inner.width, "heading", theme.INK)
            put_text(surface, ctx, self.message, self.lang, inner.x, y + m.gap * 2,
                     inner.width // 2, "body", theme.LEAVE)
        elif self.page == "quit":
            put_text(surface, ctx, self.t(S.QUIT_CONFIRM), self.lang, inner.x, y + m.gap,
                     inner.width, "heading", theme.INK)
        elif self.page == "packs":
            put_text(surface, ctx, self.t(S.CONTENT_PACKS), self.lang, inner.x, y + m.gap,
                     self._text_width(), "heading", theme.INK)
            put_text(surface, ctx, self._desk_message(), self.lang, inner.x, self.status_y,
                     inner.width, "body", theme.INK)
        else:
            put_text(surface, ctx, "\n".join(self._facts()), self.lang, inner.x, y + m.gap,
                     self._text_width(), "body", theme.INK)
        self.buttons.draw(surface, ctx.texts)

    def _facts(self) -> list[str]:
        ctx = self.ctx
        pack = ctx.packs.pack
        tr = ctx.tr()
        facts = [f"{tr.gettext(S.CONTENT_PACK)}: {pack.id if pack else '-'}",
                 f"{tr.gettext(S.VERSION)}: {pack.version if pack else '-'}",
                 f"{tr.gettext(S.VOLUME)}: {round(ctx.config.volume * 100)}%"]
        recorder = ctx.recorder
        if recorder is not None:
            try:
                status = recorder.status()
                waiting = status.waiting_sync if status.waiting_sync is not None else status.held
                facts.append(tr.plural(S.EVENTS_WAITING, waiting, count=waiting))
                facts.append(status.line)
            except Exception as exc:
                facts.append(f"record: {exc}")
        off = ctx.health.disabled()
        if off:
            facts.append(tr.plural(S.STORIES_OFF_MENU, len(off), count=len(off)) + ": "
                         + ", ".join(sorted(off)))
        if ctx.packs.last_refusal:
            facts.append(ctx.packs.last_refusal[:300])
        return facts
