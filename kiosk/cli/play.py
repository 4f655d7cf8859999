"""`kiosk play`: play a content pack on this screen.

`python -m kiosk.cli.play [options]` runs the same command without building the parser of
every other command (the systemd unit starts the kiosk this way: it starts faster).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from kiosk.cli.options import screen_size

NO_DISPLAY = ("kiosk play: no display here (DISPLAY and WAYLAND_DISPLAY are unset); "
              "render screens headless with `kiosk screenshot PACK --screen menu -o menu.png` "
              "(or use the admin's preview).")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk play`."""
    add_arguments(sub.add_parser("play", help="play a content pack on this screen"))


def add_arguments(play: argparse.ArgumentParser) -> None:
    """Declare the options of `kiosk play` (shared with `python -m kiosk.cli.play`)."""
    play.add_argument("pack", nargs="?", help="pack folder (default: the active pack, "
                      "else the demo pack)")
    mode = play.add_mutually_exclusive_group()
    mode.add_argument("--windowed", action="store_true", help="in a window (default)")
    mode.add_argument("--fullscreen", action="store_true", help="fullscreen, cursor hidden")
    play.add_argument("--size", type=screen_size, default=None, help="window size, e.g. 1920x1080")
    play.add_argument("--display", type=int, default=0, help="display number (multi-screen)")
    play.set_defaults(func=cmd_play)


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


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="kiosk play")
    add_arguments(_parser)
    _parsed = _parser.parse_args()
    sys.exit(int(_parsed.func(_parsed) or 0))
