"""The kiosk's log as the touring team reads it: a line at start (software version, pack id and
version, screen size) and at stop; with no sound device, a film's sound failure is one line in
kiosk.log and nothing at all on stderr (ALSA alone wrote thousands of lines there).

The kiosk runs in a child process: its real file descriptor 2 is what the test reads."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEMO_PACK = ROOT / "content"
FILM = DEMO_PACK / "media" / "video" / "nadia.mp4"

CHILD = """
import sys, time
from pathlib import Path
from kiosk.app import App, KioskConfig
from kiosk.app.logs import setup_logging

data = Path(sys.argv[1])
setup_logging(data)
app = App(sys.argv[2], (800, 600), data_dir=data, config=KioskConfig(), use_record=False)
app.open()
app.wait_media(30)
player = app.ctx.media.video.open(Path(sys.argv[3]), (320, 180), audio=True)
player.play()
time.sleep(2.5)  # VLC tries a sound output about 20 times a second
player.close()
app.close()
"""


def run_kiosk(tmp_path: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDL_AUDIO", "PULSE"))}
    env.update(
        PYTHONPATH=str(ROOT), SDL_VIDEODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
        STORYKIOSK_CACHE_DIR=str(tmp_path / "cache"),
        STORYKIOSK_CONFIG_DIR=str(tmp_path / "config"),
        # No sound device, whatever this machine has: no PulseAudio, an ALSA card that is not.
        PULSE_SERVER="unix:/nonexistent/pulse", ALSA_CARD="storykiosk-no-such-card",
    )
    data = tmp_path / "data"
    res = subprocess.run([sys.executable, "-c", CHILD, str(data), str(DEMO_PACK), str(FILM)],
                         capture_output=True, text=True, env=env, timeout=120)
    log = (data / "kiosk.log").read_text("utf-8").splitlines()
    return res, log


def test_start_and_stop_lines_and_one_line_for_no_sound_device(tmp_path):
    res, log = run_kiosk(tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stderr == ""  # not one line from libvlc, ALSA or SDL on the process's stderr
    pack = yaml.safe_load((DEMO_PACK / "pack.yaml").read_text("utf-8"))
    started = [line for line in log if "kiosk started" in line]
    assert len(started) == 1
    assert started[0].endswith(f"kiosk started: Storykiosk {version('storykiosk')}, "
                               f"pack {pack['id']} {pack['version']}, screen 800x600")
    assert sum("kiosk stopped after" in line for line in log) == 1
    assert log.index(started[0]) < next(i for i, x in enumerate(log) if "kiosk stopped" in x)
    vlc_lines = [line for line in log if "kiosk.media.vlc" in line]
    assert len(vlc_lines) == 1, vlc_lines
    assert "cannot open a sound output" in vlc_lines[0] and "without sound" in vlc_lines[0]
