"""The kiosk's screens, one module each, all with the same lifecycle (see `base.Screen`)."""

from kiosk.scenes.attract import Attract
from kiosk.scenes.choice import ChoiceScreen
from kiosk.scenes.content_note import ContentNote
from kiosk.scenes.discussion import Discussion
from kiosk.scenes.ending import Ending
from kiosk.scenes.help import Help
from kiosk.scenes.idle import Idle
from kiosk.scenes.language import Language, LanguageOverlay
from kiosk.scenes.leave import Leave
from kiosk.scenes.menu import Menu
from kiosk.scenes.out_of_order import OutOfOrder
from kiosk.scenes.passage import Passage
from kiosk.scenes.school_code import SchoolCode
from kiosk.scenes.staff import Staff
from kiosk.scenes.survey import Survey

SCREENS = {cls.name: cls for cls in (Attract, Language, LanguageOverlay, Menu, ContentNote,
                                     Survey, Passage, ChoiceScreen, Ending, Leave, Help, Idle,
                                     Staff, Discussion, SchoolCode, OutOfOrder)}

__all__ = ["SCREENS"]
