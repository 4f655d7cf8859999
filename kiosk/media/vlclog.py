"""libvlc's messages, and those of the ALSA library it plays sound through, into the kiosk log.

With `--quiet` libvlc prints nothing itself, but ALSA writes its own errors straight to
stderr: with no sound device, VLC tries to open one about 20 times a second while a film
plays, 8 lines each (thousands per film; measured here). `VlcLog` takes libvlc's messages
through its log callback and ALSA's through its error handler, so that:

- no sound output at all is one log line, the first time, with libvlc's reasons (one
  output failing before another opens, PulseAudio before ALSA say, is not logged);
- any other libvlc error is logged once per distinct text (at most `MAX_LINES` a run);
  warnings and debug messages are not logged, nor errors that come with every film here;
- ALSA's own lines are dropped (for SDL's sound too): libvlc's line says what failed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading

log = logging.getLogger("kiosk.media.vlc")

MAX_LINES = 20  # distinct libvlc errors logged per run; the rest are counted
ERROR = 4  # libvlc_log_level: DEBUG 0, NOTICE 2, WARNING 3, ERROR 4
# Errors libvlc reports on every film drawn into memory callbacks here (the films play well),
# that only repeat another message ("module not functional" follows the module's reason), or
# that a film closed while VLC still opens it brings ("cannot peek": the demuxer's read is
# cut short, "cannot pre fill buffer": the stream's first read is, "cannot create chunks
# index": the MP4 demuxer's read of the film's index box is, leaving a track without its
# chunk table; a visitor who taps on at once does that, more often on a busy machine, and a
# truncated file is the pack checker's to find).
NOT_LOGGED = ("Failed to create video converter", "Too high level of recursion",
              "Failed to adapt decoder format to display", "video output creation failed",
              "failed to create video output", "module not functional",
              "buffer deadlock prevented", "cannot peek", "cannot pre fill buffer",
              "cannot create chunks index")
# Why one sound output did not open (lowercase), as libvlc's output modules word it.
SOUND_REASON = ("alsa", "pulseaudio", "audio device")
# libvlc's own words when no sound output at all could open.
SOUND_FAILED = ("audio output failed", "failed to create audio output")


class VlcLog:
    """Routes one libvlc instance's messages into the kiosk log (see the module docstring)."""

    def __init__(self, vlc, instance) -> None:
        self.instance = instance
        self.messages = 0  # everything libvlc said, any level
        self.sound_failed = False
        self._sound_reasons: list[str] = []  # why each output failed, first few
        self._logged: set[str] = set()
        self._lock = threading.Lock()
        self._format = _vsnprintf()
        # Kept here: libvlc calls it until log_unset, so it must outlive no reference.
        self._callback = vlc.CallbackDecorators.LogCb(self._on_message)
        instance.log_set(self._callback, None)
        quiet_alsa()

    def close(self) -> None:
        """Stop taking libvlc's messages (before the instance is released)."""
        if self.instance is not None:
            self.instance.log_unset()
            self.instance = None

    def _on_message(self, data, level, ctx, fmt, args) -> None:
        # On libvlc's threads; formatting only what may be logged keeps debug messages cheap.
        # Nothing may escape: ctypes would print the traceback to stderr.
        self.messages += 1
        if level < ERROR or self._format is None:
            return
        try:
            buf = ctypes.create_string_buffer(512)
            self._format(buf, len(buf), fmt, args)
            self.note(buf.value.decode("utf-8", "replace"))
        except Exception:  # a log line lost is better than a traceback on stderr
            pass

    def note(self, text: str) -> None:
        """Log one libvlc error as the rules above say."""
        if any(h in text for h in NOT_LOGGED):
            return
        lowered = text.lower()
        with self._lock:
            if any(s in lowered for s in SOUND_REASON):
                if text not in self._sound_reasons and len(self._sound_reasons) < 3:
                    self._sound_reasons.append(text)
                return
            if any(s in lowered for s in SOUND_FAILED):
                if self.sound_failed:
                    return
                self.sound_failed = True
                text = "; ".join(self._sound_reasons) or text
                line = ("video sound: libvlc cannot open a sound output (%s); videos play "
                        "without sound, libvlc's further sound errors are not logged")
            elif text in self._logged or len(self._logged) >= MAX_LINES:
                return
            else:
                self._logged.add(text)
                line = ("libvlc: %s" if len(self._logged) < MAX_LINES else
                        "libvlc: %s (libvlc's further errors are not logged)")
        log.warning(line, text.replace("\n", " "))


def _vsnprintf():
    """libc's vsnprintf, to format libvlc's printf-style messages (None where not found)."""
    try:
        libc = ctypes.CDLL(None)
        fn = libc.vsnprintf
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    fn.restype = ctypes.c_int
    return fn


# ALSA's handler gets a C function that ignores its arguments and does nothing: getpid.
# Not a Python callback: ALSA calls it on SDL's threads while pygame.mixer.init() holds the
# interpreter lock and waits for them (a Python handler hung the kiosk's start there). The
# handler type is variadic; a function that reads no argument is safe to call that way.
_alsa: dict = {}


def quiet_alsa() -> bool:
    """Keep ALSA's error messages off stderr, for the whole process (ALSA's handler is
    global; libvlc's log line says when sound fails). False where there is no ALSA."""
    if "lib" in _alsa:
        return True
    name = ctypes.util.find_library("asound")
    if name is None:
        return False
    try:
        lib = ctypes.CDLL(name)
        setter = lib.snd_lib_error_set_handler
        nothing = ctypes.cast(ctypes.CDLL(None).getpid, ctypes.c_void_p)
    except (OSError, AttributeError):
        return False
    setter.argtypes = [ctypes.c_void_p]
    setter(nothing)
    _alsa["lib"] = lib
    return True
