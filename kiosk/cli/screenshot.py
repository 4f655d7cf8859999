"""`kiosk screenshot`: render one screen headless to a PNG file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.options import screen_size


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk screenshot`."""
    shot = sub.add_parser("screenshot", help="render one screen headless to a PNG file")
    shot.add_argument("pack", help="pack folder")
    shot.add_argument("--screen", default=None,
                      help="attract, language, menu, content_note, survey_before, "
                      "survey_after, passage, choice, ending, leave, help, idle, staff "
                      "(default: passage when --scene is given, else attract)")
    shot.add_argument("--story", help="story id (default: the first story)")
    shot.add_argument("--scene", help="scene id (default: the story's first scene)")
    shot.add_argument("--lang", help="language (default: the pack's default)")
    shot.add_argument("--size", type=screen_size, default=(1920, 1080))
    shot.add_argument("--text-size", type=int, choices=(0, 1, 2), default=0,
                      help="0 normal, 1 and 2 larger")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    shot.set_defaults(func=cmd_screenshot)


def cmd_screenshot(args) -> int:
    """Render one screen without a display and save it."""
    from kiosk.app.shots import ScreenshotError, screenshot  # pygame: only when used

    try:
        path = screenshot(Path(args.pack), Path(args.output), screen=args.screen,
                          story=args.story, scene=args.scene, lang=args.lang, size=args.size,
                          text_step=args.text_size)
    except ScreenshotError as exc:
        print(f"kiosk screenshot: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0
