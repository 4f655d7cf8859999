"""Options and argument types shared by the `kiosk` commands."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from kiosk import paths


def add_data_dir(parser: argparse.ArgumentParser, hidden: bool = False) -> None:
    """Add the shared `--data-dir` option (hidden where staff never need it)."""
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help=argparse.SUPPRESS if hidden else "the kiosk's data folder (default: "
        "$STORYKIOSK_DATA_DIR or the platform's data folder)")


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder a command works in: `--data-dir`, else the kiosk's own."""
    return args.data_dir if args.data_dir is not None else paths.data_dir()


def iso_date(text: str) -> dt.date:
    """An ISO date argument; a usage error (exit 2) when it is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def screen_size(text: str) -> tuple[int, int]:
    """A screen size argument such as 1920x1080; a usage error when it is not one."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, not {text!r}") from exc
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be 200 to 8000 pixels")
    return w, h
