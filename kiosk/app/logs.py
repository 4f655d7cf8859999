"""The kiosk's log: a rotating file in the data folder, never anything about a visitor."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "kiosk.log"


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Log to `<folder>/kiosk.log` (1 MB, 5 files kept) and to stderr for warnings."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    if not any(getattr(h, "_storykiosk", False) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000,
                                                       backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._storykiosk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(min(root.level or level, level) if root.level else level)
    return path
