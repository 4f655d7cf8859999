"""Video through python-vlc: frames decoded into a pygame surface, sound through VLC's output.

    engine.py   `VideoEngine`: the libvlc instance, opening players, their jobs, closing
    film.py     `Film`: a scene's film, its player opened on the engine's thread, never on
                the frame of the tap that shows the scene
    player.py   `VideoPlayer`: one film, drawn by the kiosk; `EngineLink`, what it has of
                the engine (the player never imports the engine)

VLC never opens a window: `video_set_format_callbacks` lets us pick the frame size (the video
fitted into the scene's box, aspect kept) and `video_set_callbacks` has VLC write each frame
straight into a pygame surface's pixels (RV32: bytes B,G,R,X, the display's own format, so a
blit is a plain copy). The kiosk blits that surface and draws captions and controls on top.
A lock shared by VLC's lock/unlock callbacks and `VideoPlayer.draw` keeps a half-written frame
off the screen.
"""

from kiosk.media.video.engine import DEFAULT_VLC_ARGS, VideoEngine
from kiosk.media.video.film import Film
from kiosk.media.video.player import VideoPlayer

__all__ = ["DEFAULT_VLC_ARGS", "Film", "VideoEngine", "VideoPlayer"]
