"""A kiosk stand-in for the kill -9 test: records events and reports its progress.

Usage: python crash_child.py DATA_DIR RUN_TAG. Records choice_made events with scene ids
"<tag>-<i>". After `record()` returned for event i it writes i + 1 to DATA_DIR/../<tag>.returned
(one os.write per line: it survives the kill), and "FLUSHED <n>" on stdout after `flush()`
returned True for the first n events, until it is killed.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from kiosk.record import Recorder


def main() -> None:
    data_dir, tag = sys.argv[1], sys.argv[2]
    progress = os.open(Path(data_dir).parent / f"{tag}.returned",
                       os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    rec = Recorder.open(data_dir, batch_interval=random.choice([0.005, 0.1]),
                        retention_days=400)
    print("OPENED", flush=True)
    n = 0
    session = rec.begin_session("demo", "1", "en")
    while True:
        for _ in range(random.randint(1, 60)):
            session.record("choice_made", story="crash", scene=f"{tag}-{n}", choice=n % 7)
            n += 1
            os.write(progress, b"%d\n" % n)
        if random.random() < 0.5:
            time.sleep(random.random() * 0.01)
        if random.random() < 0.3 and rec.flush(10):
            sys.stdout.write(f"FLUSHED {n}\n")
            sys.stdout.flush()
        if random.random() < 0.05:
            session.end("done")
            session = rec.begin_session("demo", "1", "en")


if __name__ == "__main__":
    main()
