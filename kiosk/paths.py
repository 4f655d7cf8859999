"""Where the kiosk keeps its data, logs, cache and config (platformdirs, overridable)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from kiosk.settings import env

APP = "storykiosk"


def data_dir() -> Path:
    """The kiosk's data folder: $STORYKIOSK_DATA_DIR, else the platform's user data folder."""
    path = Path(env("STORYKIOSK_DATA_DIR") or platformdirs.user_data_dir(APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """The compiled-pack cache: $STORYKIOSK_CACHE_DIR, else the platform's user cache folder."""
    path = Path(env("STORYKIOSK_CACHE_DIR") or platformdirs.user_cache_dir(APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The kiosk's config folder: $STORYKIOSK_CONFIG_DIR, else the platform's config folder."""
    path = Path(env("STORYKIOSK_CONFIG_DIR") or platformdirs.user_config_dir(APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def repo_content() -> Path:
    """The demo pack shipped in the repository's `content/` folder."""
    return Path(__file__).resolve().parent.parent / "content"
