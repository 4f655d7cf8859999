"""The fixture pack as the fleet's tests and bench need it: at a chosen version, with
random media to give its bundle a size, and valid on a chosen day.

The admin publishes and a kiosk process installs as of the real date, so a pack made for
them carries dates relative to that day (helplines verified a week before, consent to be
reviewed 18 months after): it is valid whatever year the suite runs in.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

FIXTURE_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "valid"


def pack_at(folder: Path, version: str, pad_bytes: int = 0, seed: int = 0,
            today: dt.date | None = None) -> Path:
    """A copy of the fixture pack at `version`, with `pad_bytes` of random media, its
    dates moved to be valid on `today` (None: kept as they are, valid on the suite's day)."""
    shutil.copytree(FIXTURE_PACK, folder)
    yaml = folder / "pack.yaml"
    text = yaml.read_text().replace('version: "1.0"', f'version: "{version}"')
    if today is not None:
        text = re.sub(r"verified: \d{4}-\d\d-\d\d",
                      f"verified: {today - dt.timedelta(days=7)}", text)
        story = folder / "stories" / "ana.yaml"
        story.write_text(re.sub(r"review_by: \d{4}-\d\d-\d\d",
                                f"review_by: {today + dt.timedelta(days=548)}",
                                story.read_text()))
    yaml.write_text(text)
    if pad_bytes:
        (folder / "media").mkdir()
        with (folder / "media" / "pad.bin").open("wb") as out:
            rng = random.Random(seed)
            left = pad_bytes
            while left:
                n = min(left, 1024 * 1024)
                out.write(rng.randbytes(n))
                left -= n
    return folder
