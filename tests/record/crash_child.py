"""A kiosk stand-in for the kill -9 test: records events and reports each flush on stdout.

Usage: python crash_child.py DATA_DIR RUN_TAG. Writes "FLUSHED <n>" after `flush()` returned
True for the first n events (scene ids "<tag>-<i>"), until it is killed.
"""

from __future__ import annotations

import random
import sys
import time

from kiosk.record import Recorder


def main() -> None:
    data_dir, tag = sys.argv[1], sys.argv[2]
    rec = Recorder.open(data_dir, batch_interval=0.005, retention_days=400)
    print("OPENED", flush=True)
    n = 0
    session = rec.begin_session("demo", "1", "en")
    while True:
        for _ in range(random.randint(1, 60)):
            session.record("choice_made", story="crash", scene=f"{tag}-{n}", choice=n % 7)
            n += 1
        if random.random() < 0.5:
            time.sleep(random.random() * 0.01)
        if rec.flush(10):
            sys.stdout.write(f"FLUSHED {n}\n")
            sys.stdout.flush()
        if random.random() < 0.05:
            session.end("done")
            session = rec.begin_session("demo", "1", "en")


if __name__ == "__main__":
    main()
