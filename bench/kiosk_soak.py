"""Soak: thousands of simulated visitor sessions of random taps, with the clock accelerated.

Each session starts at the attract loop and taps at random: mostly on the buttons of whatever
is showing (finger events plus SDL's synthetic mouse events, as a touchscreen sends them),
sometimes anywhere; it waits between taps (the clock jumps, so idle resets happen too), and
ends with Leave now, an idle reset, or a finished story. Checked throughout: no screen
failure logged, the program never stops, no frame is blank; resident memory is sampled.

Targets (issue 4): RSS <= 300 MB; growth between session 1,000 and 10,000 <= 5%.
Usage: .venv/bin/python bench/kiosk_soak.py [--sessions 10000] [--size 1920x1080] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


CHROME = {"back", "language", "text_size", "sound", "help", "leave"}
SAMPLE = 10  # RSS sampled every this many visits (at the attract loop): 100 samples a window
ONWARD = {"continue", "next", "skip"}  # a long visit taps these more often, to reach endings
FILM_S = 0.5  # real seconds a film plays when a visit reaches one (endings' passages)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process in MB (from /proc); "VmHWM": its peak so far."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Failures(logging.Handler):
    """Counts the errors the kiosk logs (a failing screen is logged, then recovered)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage()[:300])


def touch(pygame, app, pos, kind):
    w, h = app.ctx.size
    finger = pygame.FINGERDOWN if kind == "down" else pygame.FINGERUP
    mouse = pygame.MOUSEBUTTONDOWN if kind == "down" else pygame.MOUSEBUTTONUP
    return [pygame.event.Event(finger, touch_id=1, finger_id=3, x=pos[0] / w, y=pos[1] / h,
                               dx=0.0, dy=0.0, pressure=1.0),
            pygame.event.Event(mouse, pos=pos, button=1, touch=True)]


def blank(pygame, surface) -> bool:
    """True when every pixel has the same colour."""
    colour = surface.get_at((0, 0))
    mask = pygame.mask.from_threshold(surface, colour, (2, 2, 2, 255))
    return mask.count() == surface.get_width() * surface.get_height()


def soak(sessions: int, size=(1920, 1080), seed: int = 1, pack: Path | None = None,
         data_dir: Path | None = None, sample_every: int = SAMPLE, progress=None,
         max_taps: int = 16, long_every: int = 10, long_taps: int = 60) -> dict:
    """Run the soak; returns counts, RSS samples and failures.

    Only the frames a visit needs are drawn, with no sleeping: one frame per tap (its finger
    and mouse, down and up, in that frame's events), then one frame per warming job the
    kiosk has queued (it runs one per quiet frame, as many as fit in the wait at 60 fps),
    then the clock jumps to the end of the wait for one frame (fades end, idle timers fire).
    Each new screen's first settled frame is checked for blankness. Every `long_every`-th
    visit may go on for up to `long_taps` taps, long enough to reach a story's ending."""
    import pygame

    from kiosk.app import App, KioskConfig
    from kiosk.app.shots import StepClock

    rng = random.Random(seed)
    failures = Failures()
    logging.getLogger().addHandler(failures)
    logging.getLogger().setLevel(logging.WARNING)
    clock = StepClock()
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    app = App(pack or ROOT / "content", size, clock=clock, data_dir=data_dir,
              config=KioskConfig(), use_media=True, use_record=True)
    app.open()
    app.wait_media()
    frames = blanks = taps = checked = 0
    # How visits ended: Leave now, idle reset, or out of taps ("cap"); "finished" counts the
    # visits that reached a story's ending on the way (they then go on to the survey).
    ends = {"leave": 0, "idle": 0, "finished": 0, "cap": 0}
    screens: dict[str, int] = {}
    rss: dict[int, float] = {}
    blocks: dict[int, int] = {}  # Python's allocated blocks: objects kept grow this steadily
    caches: dict[int, dict[str, float]] = {}  # what the bounded caches held at each sample
    started = time.perf_counter()
    last_checked = [None]
    last_film = 0  # players opened when a film last played
    counts = {"films": 0, "film_frames": 0}

    def frame(seconds: float, events=None) -> None:
        nonlocal frames
        clock.advance(seconds)
        app.frame(events if events is not None else [])
        frames += 1

    def settle(wait: float) -> None:
        """Let `wait` seconds pass as the kiosk would, drawing only frames that do work."""
        nonlocal blanks, checked, last_film
        spent = 0.0
        if wait > 0.3:  # past the 250 ms cross-fade: quiet frames may warm the next screens
            frame(0.3)
            spent = 0.3
            jobs = 0
            while getattr(app, "_warm", None) and spent + 1 / 60 <= wait and jobs < 12:
                frame(1 / 60)
                spent += 1 / 60
                jobs += 1
        frame(max(0.0, wait - spent))
        player = getattr(getattr(app.manager.top, "media", None), "player", None)
        opened = app.ctx.media.video.players_opened if app.ctx.media else 0
        if player is not None and opened != last_film:
            # libvlc decodes in real time on its own threads, whatever the stepped clock
            # says: let the film really play a moment, so its decoder's buffers are counted.
            last_film = opened
            player.wait_frame(5.0)
            time.sleep(FILM_S)
            counts["films"] += 1
            counts["film_frames"] += player.frames
        change = (id(app.manager.current), app.manager.changed_at, len(app.manager.overlays))
        if change != last_checked[0] and not app.manager.fading:
            last_checked[0] = change
            checked += 1
            if blank(pygame, app.surface):
                blanks += 1

    def tap(pos) -> None:
        frame(0.0, touch(pygame, app, pos, "down") + touch(pygame, app, pos, "up"))

    try:
        for session in range(1, sessions + 1):
            if app.manager.name != "attract":
                app.flow.attract()
                settle(1.0)
            tap((size[0] // 2, size[1] // 3))
            settle(0.5)
            finished = False
            limit = long_taps if long_every and session % long_every == 0 else max_taps
            for _ in range(rng.randint(2, limit)):
                top = app.manager.top
                screens[top.name] = screens.get(top.name, 0) + 1
                buttons = [b for b in top.buttons.items if b.enabled]
                if top.name == "staff":
                    buttons = [b for b in buttons if b.key != "quit"] or buttons
                story_buttons = [b for b in buttons if b.key not in CHROME]
                onward = [b for b in story_buttons if b.key in ONWARD]
                if limit == long_taps and onward and rng.random() < 0.5:
                    pos = rng.choice(onward).rect.center  # a visitor reading on
                elif story_buttons and rng.random() < 0.8:
                    pos = rng.choice(story_buttons).rect.center
                elif buttons and rng.random() < 0.9:
                    pos = rng.choice(buttons).rect.center
                else:
                    pos = (rng.randrange(size[0]), rng.randrange(size[1]))
                tap(pos)
                taps += 1
                # A fast visitor taps again as soon as the new screen takes taps (it takes
                # none for its first TAP_SETTLE_MS: a quicker tap would only be dropped).
                wait = rng.choice((0.45, 0.45, 0.6, 1.0, 2.0, 5.0)) if rng.random() < 0.97 \
                    else rng.choice((100.0, 130.0))
                settle(wait)
                if not app.running:
                    app.running = True  # the soak's random taps may reach Quit
                name = app.manager.name
                if name == "leave":
                    ends["leave"] += 1
                    break
                if name == "attract":
                    ends["idle"] += 1
                    break
                if name == "ending" and not finished:
                    finished = True
                    ends["finished"] += 1
            else:
                ends["cap"] += 1
            if session % sample_every == 0 or session in (1, 100):
                # Sampled at the same point of every cycle: back at the attract loop, after
                # its garbage collection (a quiet-frame job), as between two real visitors.
                app.flow.attract()
                settle(1.0)
                rss[session] = rss_mb()
                blocks[session] = sys.getallocatedblocks()
                caches[session] = cache_fill(app)
                if progress and (session % 1000 == 0 or session in (1, 100)):
                    recent = [v for k, v in rss.items() if k > session - 1000 and k > 100]
                    progress(session, rss[session], time.perf_counter() - started,
                             statistics.median(recent or [rss[session]]))
    finally:
        app.close()
        logging.getLogger().removeHandler(failures)
    return {"sessions": sessions, "taps": taps, "frames": frames, "blank_frames": blanks,
            "frames_checked": checked, "ends": ends, "failures": failures.records[:20],
            "failure_count": len(failures.records), "rss_mb": rss,
            "python_blocks": blocks, "caches": caches,
            "seconds": round(time.perf_counter() - started, 1), "screens": screens, **counts,
            "peak_mb": rss_mb("VmHWM")}


def cache_fill(app) -> dict[str, float]:
    """What the kiosk's bounded caches hold: laid-out text blocks and measured widths (counts),
    rendered text, decoded pictures and sounds (MB). A cache still filling towards its bound
    grows resident memory without leaking; the report sets this beside the RSS growth."""
    texts, media = app.ctx.texts, app.ctx.media
    fill = {"layouts": len(texts), "widths": len(texts.widths),
            "text_mb": texts.bytes_used / 2**20}
    if media is not None:
        fill.update(images_mb=media.images.bytes_used / 2**20,
                    sounds_mb=media.sounds.bytes_used / 2**20)
    return fill


def windows(samples: dict[int, float], sessions: int) -> tuple[list[float], list[float]]:
    """The samples of visits 501-1,500 and of the last 1,000 visits (see `growth`)."""
    at = 1000 if sessions >= 2000 else max(1, sessions // 10)
    early = [v for k, v in samples.items() if at - 500 < k <= at + 500 and k > 100]
    late = [v for k, v in samples.items() if k > max(samples) - 1000]
    return early, late


def growth(rss: dict[int, float], sessions: int) -> tuple[float, float, float, float]:
    """RSS growth from visit 1,000 to the last, as single samples and as window medians.

    Between visits RSS moves by +-15 MB with nothing cached changing (the caches are full by
    visit 100; what moves is freed memory the allocators keep in their pools), so one sample
    says little; the median of the samples from visit 501 to 1,500 and of the last 1,000
    visits' samples is the steadier level. Returns (point %, window %, first, last window)."""
    at = 1000 if sessions >= 2000 else max(1, sessions // 10)
    first = rss.get(at) or rss[min(rss)]
    point = (rss[max(rss)] - first) / first * 100
    early, late = windows(rss, sessions)
    a, b = statistics.median(early or [first]), statistics.median(late or [rss[max(rss)]])
    return point, (b - a) / a * 100, a, b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-taps", type=int, default=16, help="taps per visit: 2 to this")
    parser.add_argument("--long-every", type=int, default=10,
                        help="every Nth visit may be long enough to finish a story (0: never)")
    parser.add_argument("--long-taps", type=int, default=60, help="taps of a long visit: 2 to this")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    baseline = rss_mb()
    import pygame

    pygame.display.init()
    pygame.display.set_mode(size)
    bare = rss_mb()
    pygame.display.quit()

    def progress(session, rss, seconds, recent):
        print(f"  session {session:>6}: RSS {rss:7.1f} MB, median of the last 1,000 visits' "
              f"samples {recent:7.1f} MB  ({seconds:6.0f} s)", flush=True)

    result = soak(args.sessions, size, args.seed, progress=progress, max_taps=args.max_taps,
                  long_every=args.long_every, long_taps=args.long_taps)
    rss = result["rss_mb"]
    first = rss.get(1000) or rss[min(rss)]
    last = rss[max(rss)]
    point, window, early, late = growth(rss, result["sessions"])
    print(f"sessions {result['sessions']}, taps {result['taps']}, frames {result['frames']} "
          f"in {result['seconds']} s ({result['seconds'] / 60:.1f} min)")
    print(f"ends: {result['ends']}; films played: {result['films']} "
          f"({result['film_frames']} frames decoded, {FILM_S} s each)")
    print(f"screen failures logged: {result['failure_count']}  blank frames: "
          f"{result['blank_frames']} of {result['frames_checked']} new screens checked")
    print(f"screens tapped: {result['screens']}")
    print(f"RSS: peak {result['peak_mb']:.1f} MB (the process's high-water mark; target <= 300), "
          f"between visits: max {max(rss.values()):.1f} MB, session 1,000 {first:.1f} MB, "
          f"session {max(rss):,} {last:.1f} MB: {point:+.2f}%")
    print(f"RSS growth, medians of the samples (every {SAMPLE} visits) of visits 501-1,500 and "
          f"of the last 1,000: {early:.1f} -> {late:.1f} MB, {window:+.2f}% (target <= 5%)")
    blocks = result["python_blocks"]
    at = 1000 if 1000 in blocks else min(blocks)
    print(f"Python's allocated blocks (objects kept): session {at:,} {blocks[at]:,}, "
          f"session {max(blocks):,} {blocks[max(blocks)]:,} "
          f"({(blocks[max(blocks)] - blocks[at]) / blocks[at] * 100:+.2f}%)")
    fills = result["caches"]
    for name in fills[max(fills)]:
        early_fill, late_fill = windows({k: v[name] for k, v in fills.items() if name in v},
                                        result["sessions"])
        if early_fill and late_fill:
            print(f"  cache {name}: median {statistics.median(early_fill):,.1f} -> "
                  f"{statistics.median(late_fill):,.1f} (same windows)")
    print(f"baseline: bare Python {baseline:.1f} MB, bare pygame window {bare:.1f} MB; "
          f"kiosk peak / bare pygame = {result['peak_mb'] / bare:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    ok = (result["failure_count"] == 0 and result["blank_frames"] == 0
          and result["peak_mb"] <= 300 and window <= 5)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
