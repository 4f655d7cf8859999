"""`kiosk play`, `kiosk screenshot` and `kiosk staff-pin`."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import time
from pathlib import Path

NO_DISPLAY = ("kiosk play: no display here (DISPLAY and WAYLAND_DISPLAY are unset); "
              "render screens headless with `kiosk screenshot PACK --screen menu -o menu.png` "
              "(or use the admin's preview).")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, not {text!r}") from exc
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be 200 to 8000 pixels")
    return w, h


def register(sub) -> None:
    """Add the play, screenshot and staff-pin sub-commands."""
    play = sub.add_parser("play", help="play a content pack on this screen")
    play.add_argument("pack", nargs="?", help="pack folder (default: the active pack, "
                      "else the demo pack)")
    mode = play.add_mutually_exclusive_group()
    mode.add_argument("--windowed", action="store_true", help="in a window (default)")
    mode.add_argument("--fullscreen", action="store_true", help="fullscreen, cursor hidden")
    play.add_argument("--size", type=_size, default=None, help="window size, e.g. 1920x1080")
    play.add_argument("--display", type=int, default=0, help="display number (multi-screen)")
    play.set_defaults(func=cmd_play)

    shot = sub.add_parser("screenshot", help="render one screen headless to a PNG file")
    shot.add_argument("pack", help="pack folder")
    shot.add_argument("--screen", default=None,
                      help="attract, language, menu, content_note, survey_before, "
                      "survey_after, passage, choice, ending, leave, help, idle, staff "
                      "(default: passage when --scene is given, else attract)")
    shot.add_argument("--story", help="story id (default: the first story)")
    shot.add_argument("--scene", help="scene id (default: the story's first scene)")
    shot.add_argument("--lang", help="language (default: the pack's default)")
    shot.add_argument("--size", type=_size, default=(1920, 1080))
    shot.add_argument("--text-size", type=int, choices=(0, 1, 2), default=0,
                      help="0 normal, 1 and 2 larger")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    shot.set_defaults(func=cmd_screenshot)

    pin = sub.add_parser("staff-pin", help="set the staff menu's PIN (stored hashed)")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    pin.set_defaults(func=cmd_staff_pin)


def cmd_play(args) -> int:
    """Play a pack; one clear line and exit 1 when there is no display."""
    if os.environ.get("SDL_VIDEODRIVER") in (None, "", "x11", "wayland") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from kiosk import paths
    from kiosk.app import App, KioskConfig
    from kiosk.app.logs import setup_logging
    data = paths.data_dir()
    setup_logging(data)
    # Without a folder the kiosk follows the pack store (packs installed while it runs are
    # taken up at the next attract loop); a broken pack shows the out-of-order screen.
    pack = Path(args.pack) if args.pack else None
    size = args.size or ((0, 0) if args.fullscreen else (1920, 1080))
    app = App(pack, size, fullscreen=args.fullscreen, display=args.display, data_dir=data,
              config=KioskConfig.load())
    try:
        app.open()
    except Exception as exc:  # pygame.error: no usable display
        logging.getLogger(__name__).exception("the kiosk could not start")
        print(f"kiosk play: cannot open the display ({exc}). {NO_DISPLAY.split('; ')[1]}",
              file=sys.stderr)
        return 1
    _notify_systemd("READY=1")
    last_ping = [0.0]

    def ping() -> None:
        # The watchdog hears from the loop itself: a hung frame stops the pings.
        now = time.monotonic()
        if now - last_ping[0] >= 2.0:
            last_ping[0] = now
            _notify_systemd("WATCHDOG=1")

    app.on_frame = ping
    app.run()
    return 0


def _notify_systemd(message: str) -> None:
    """Tell systemd we are ready / alive (Type=notify, WatchdogSec); no-op elsewhere."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    import socket

    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        pass


def cmd_screenshot(args) -> int:
    """Render one screen without a display and save it."""
    from kiosk.app.shots import ScreenshotError, screenshot

    try:
        path = screenshot(Path(args.pack), Path(args.output), screen=args.screen,
                          story=args.story, scene=args.scene, lang=args.lang, size=args.size,
                          text_step=args.text_size)
    except ScreenshotError as exc:
        print(f"kiosk screenshot: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


def cmd_staff_pin(args) -> int:
    """Ask for a PIN twice (or read it from stdin) and store its hash in the config."""
    from kiosk.app import KioskConfig

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        if getpass.getpass("Again: ") != pin:
            print("kiosk staff-pin: the two PINs differ; nothing changed", file=sys.stderr)
            return 1
    config = KioskConfig.load()
    try:
        config.set_pin(pin)
    except ValueError as exc:
        print(f"kiosk staff-pin: {exc}; nothing changed", file=sys.stderr)
        return 1
    print(f"staff PIN stored (hashed) in {config.save()}")
    return 0


if __name__ == "__main__":
    # `python -m kiosk.play_cli play ...`: the same commands without importing every other
    # command module first (the systemd unit starts the kiosk this way: it starts faster).
    parser = argparse.ArgumentParser(prog="kiosk")
    register(parser.add_subparsers(dest="command", required=True))
    parsed = parser.parse_args()
    sys.exit(int(parsed.func(parsed) or 0))
