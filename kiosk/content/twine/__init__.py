"""Twine in and out: stories drafted in Twine 2 become story files, and go back to Twine.

    source.py   the neutral form both readers produce: a TwineStory of Passages
    twee.py     reads Twee 3 (and legacy Twee 1/Twee2 headers, with a warning)
    html.py     reads Twine 2 published HTML and library archives
    links.py    finds the links of a passage the way Twine 2 does
    macros.py   maps simple Harlowe/SugarCube/Chapbook/Snowman variables and conditions
    convert.py  a TwineStory -> a story YAML file (text) and warnings
    export.py   a story of our model -> Twee 3 (SugarCube or Harlowe)

`kiosk import twine` and `kiosk export twine` live in `kiosk/cli/twine.py`.

No pygame, no Flask: the admin and the command line both call `read` and `convert`.
"""

from __future__ import annotations

from kiosk.content.twine.source import Passage, TwineError, TwineStory, read

__all__ = ["Passage", "TwineError", "TwineStory", "read"]
