"""Every interface string the kiosk's screens show, marked for extraction, grouped by screen.

Screens translate these through a `Translator`: `tr.gettext(S.START)` or, where a number is
involved, `tr.plural(S.RETURNING_IN, n, seconds=n)`. A literal `tr.gettext("...")` in a screen
is extracted too, but a constant here keeps the catalogue in one readable place, with the
notes translators need (``TRANSLATORS:`` comments end up in the .pot file).

Placeholders are named (``{seconds}``); the translation must keep every one of them.
"""

from __future__ import annotations

from typing import NamedTuple


class Plural(NamedTuple):
    """A message whose form depends on a number: English singular and plural msgids."""

    singular: str
    plural: str


def N_(message: str) -> str:
    """Mark a message for extraction without translating it (gettext's no-op marker)."""
    return message


def NP_(singular: str, plural: str) -> Plural:
    """Mark a plural message for extraction (keyword ``NP_:1,2`` in the extractor)."""
    return Plural(singular, plural)


# --- Everywhere: the controls on every screen ------------------------------------------------
# TRANSLATORS: The quick-exit button on every screen. It ends the story at once and shows a
# neutral screen. Short, calm, unmistakable.
LEAVE_NOW = N_("Leave now")
# TRANSLATORS: Button that opens the helplines over whatever is showing.
HELP = N_("Help")
BACK = N_("Back")
CONTINUE = N_("Continue")
CLOSE = N_("Close")
NEXT = N_("Next")
# TRANSLATORS: Finishes a survey or a keypad entry.
DONE = N_("Done")
CANCEL = N_("Cancel")
# TRANSLATORS: Button that opens the language picker.
LANGUAGE = N_("Language")
LARGER_TEXT = N_("Larger text")
SMALLER_TEXT = N_("Smaller text")
# TRANSLATORS: Sound toggle, showing its current state: sound is playing.
SOUND_ON = N_("Sound on")
# TRANSLATORS: Sound toggle, showing its current state: sound is muted.
SOUND_OFF = N_("Sound off")
# TRANSLATORS: The sound button while sound plays: what a tap does (mutes narration and film).
TURN_SOUND_OFF = N_("Turn sound off")
# TRANSLATORS: The sound button while sound is muted: what a tap does.
TURN_SOUND_ON = N_("Turn sound on")

# --- Attract loop and language picker ---------------------------------------------------------
# TRANSLATORS: Shown on the idle screen, cycling through the pack's languages.
TOUCH_TO_BEGIN = N_("Touch to begin")
START = N_("Start")
CHOOSE_LANGUAGE = N_("Choose your language")

# --- Story menu ------------------------------------------------------------------------------
CHOOSE_STORY = N_("Choose a story")
# TRANSLATORS: Length of a story on its card; "min" is the short form of minutes.
MINUTES = NP_("{minutes} min", "{minutes} min")
# TRANSLATORS: Minimum age on a story card, e.g. "Age 13+".
AGE_MIN = N_("Age {age}+")
STORY_UNAVAILABLE = N_("This story is not available right now")

# --- Content note ----------------------------------------------------------------------------
# TRANSLATORS: Heading above the list of content notes (e.g. coercion, threats).
CONTENT_NOTE_HEADING = N_("This story contains:")
CHOOSE_ANOTHER_STORY = N_("Choose another story")
# TRANSLATORS: Heading above the content notes of one scene, before it is shown; the visitor
# can continue or skip the scene.
SCENE_NOTE_HEADING = N_("This scene contains:")
# TRANSLATORS: Reassurance under the content note, before a story starts.
YOU_CAN_LEAVE = N_("You can skip a scene or leave the story at any time.")

# --- Surveys (before and after the story) ----------------------------------------------------
SURVEY_BEFORE = N_("Before you start, a few short questions")
SURVEY_AFTER = N_("A few short questions about the story")
ANSWERS_ANONYMOUS = N_("Your answers are anonymous.")
SKIP = N_("Skip")
QUESTION_OF = N_("Question {current} of {total}")
STRONGLY_DISAGREE = N_("Strongly disagree")
DISAGREE = N_("Disagree")
NEITHER = N_("Neither agree nor disagree")
AGREE = N_("Agree")
STRONGLY_AGREE = N_("Strongly agree")
RATE_STORY = N_("How would you rate this story?")
# TRANSLATORS: Accessible label of the rating stars, e.g. "4 of 5".
RATING_OF = N_("{rating} of {total}")
THANK_YOU = N_("Thank you!")
THANKS_FOR_ANSWERS = N_("Thank you for your answers.")
BACK_TO_STORIES = N_("Back to the stories")

# --- Passage, choice, video ------------------------------------------------------------------
# TRANSLATORS: Progress marker in a story, e.g. "Part 3 of 8".
PART_OF = N_("Part {current} of {total}")
SKIP_SCENE = N_("Skip this scene")
# TRANSLATORS: Heading above the choices at a branching point. Neutral on purpose: it must
# not ask a question the story did not ask.
CHOOSE_HOW_TO_GO_ON = N_("Choose how to go on")
PLAY = N_("Play")
PAUSE = N_("Pause")
REPLAY = N_("Replay")
SUBTITLES = N_("Subtitles")
VIDEO_UNAVAILABLE = N_("Video unavailable")
VIDEO_UNAVAILABLE_TEXT = N_("The video cannot be played right now. Here is what is said in it.")
# TRANSLATORS: Shown when a text is not translated yet; {language} is a language's own name.
SHOWN_IN = N_("Shown in {language}")
# TRANSLATORS: Label on the first scene and the ending of a story that is not one real
# person's account but put together from several.
FICTIONAL_COMPOSITE = N_("Fictional composite, based on real experiences")

# --- Ending and help -------------------------------------------------------------------------
THE_END = N_("The end")
WHAT_HELPED = N_("What helped")
WHAT_YOU_CAN_DO = N_("What you can do")
# TRANSLATORS: Heading above the helplines (name, number, hours, QR code).
HELPLINES = N_("Where to get help")
IN_EMERGENCY = N_("In an emergency, call {number}")
# TRANSLATORS: When a helpline's details were last checked; {date} is a formatted date.
LAST_VERIFIED = N_("Last verified {date}")
# TRANSLATORS: Before the languages a helpline answers in, each named in itself:
# "Languages: svenska, English".
HELPLINE_LANGUAGES = N_("Languages: {languages}")
# TRANSLATORS: Under the helplines heading when none of the lines answers in the language
# the visitor reads.
NO_HELPLINE_IN_LANGUAGE = N_("No one at these numbers speaks your language.")
# TRANSLATORS: Put between the items of a list ("svenska, English"): a comma and a space
# in most languages, the Arabic comma "، " in Arabic. Keep any space it needs.
LIST_SEPARATOR = N_(", ")
# TRANSLATORS: Opening hours of a helpline: always open.
OPEN_24_7 = N_("24/7")
FREE_CALL = N_("Free call")
SCAN_TO_SAVE = N_("Scan the code to save the number")
READ_ANOTHER = N_("Read another story")

# --- Idle reset ------------------------------------------------------------------------------
STILL_THERE = N_("Are you still there?")
RETURNING_IN = NP_(
    "Returning to the start in {seconds} second",
    "Returning to the start in {seconds} seconds",
)

# --- Leave now -------------------------------------------------------------------------------
# TRANSLATORS: The only text on the calm screen after "Leave now". It must not hint at what the
# visitor was reading: neutral, as if they had visited any museum.
THANK_YOU_VISITING = N_("Thank you for visiting.")

# --- Errors shown to visitors ----------------------------------------------------------------
SOMETHING_WRONG = N_("Sorry, something went wrong.")
LOADING = N_("Loading…")

# --- School sessions -------------------------------------------------------------------------
SCHOOL_SESSION = N_("School session")
ENTER_CODE = N_("Enter the session code")
CODE_NOT_VALID = N_("This code is not valid")
CODE_EXPIRED = N_("This code has expired")
END_SESSION = N_("End session")
SESSION_ENDED = N_("Session ended")
# TRANSLATORS: Heading over the pack's discussion prompt, for a class around one screen.
DISCUSS_TOGETHER = N_("Talk about it together")
TAP_CLASS_CHOICE = N_("Tap the choice your group agreed on")
SHOW_OTHERS = N_("Show how other visitors chose")
HOW_OTHERS_CHOSE = N_("How other visitors chose")
VISITORS = NP_("{count} visitor", "{count} visitors")
# TRANSLATORS: Replaces a number too small to show without risking that someone is recognised.
FEWER_THAN = NP_("Fewer than {count} visitor", "Fewer than {count} visitors")

# --- Staff menu ------------------------------------------------------------------------------
STAFF_MENU = N_("Staff menu")
ENTER_PIN = N_("Enter PIN")
WRONG_PIN = N_("Wrong PIN")
# TRANSLATORS: {command} is a command typed on the kiosk's computer; keep it as it is.
NO_PIN = N_("No staff PIN is set on this kiosk: set one with {command}.")
CONTENT_PACK = N_("Content pack")
VERSION = N_("Version")
EVENTS_WAITING = NP_("{count} event waiting to be sent", "{count} events waiting to be sent")
VOLUME = N_("Volume")
TOUCH_TEST = N_("Touch test")
TOUCH_TEST_HINT = N_("Touch anywhere to test the screen")
RELOAD = N_("Reload")
QUIT = N_("Quit")
RECORDING_DISK_FULL = N_("Recording stopped: the disk is full")
RECORDING_READ_ONLY = N_("Recording stopped: the disk is read-only")
STORIES_OFF_MENU = NP_(
    "{count} story taken off the menu after errors",
    "{count} stories taken off the menu after errors",
)
RESTORE_STORIES = N_("Put stories back on the menu")
# TRANSLATORS: Asked after Quit in the staff menu: the kiosk program stops.
QUIT_CONFIRM = N_("Quit the kiosk? It stays off until it is started again.")
YES_QUIT = N_("Yes, quit")
# TRANSLATORS: Staff menu: the page that lists installed content packs and USB bundles.
CONTENT_PACKS = N_("Content packs")
# TRANSLATORS: Staff menu: go back to the pack version that played before.
ROLL_BACK = N_("Roll back")
# TRANSLATORS: {date} is a date such as 2026-12-06.
INSTALLED_ON = N_("installed {date}")
# TRANSLATORS: Marks the pack version the kiosk is playing.
PLAYING_NOW = N_("playing now")
# TRANSLATORS: {file} is the name of a pack file on a USB stick; keep it as it is.
INSTALL_FROM_USB = N_("Install from USB: {file}")
NO_USB_BUNDLES = N_("No pack files on a USB stick.")
INSTALL_UNPACK = N_("Installing {file}: copying and checking the files…")
INSTALL_CHECK = N_("Installing {file}: checking the pack…")
INSTALL_ACTIVATE = N_("Installing {file}: switching to it…")
# TRANSLATORS: {pack} and {version} name a content pack, e.g. "demo 1.0.1".
INSTALLED_PLAYS_NEXT = N_("{pack} {version} is installed; it plays from the next visit.")
PLAYS_NEXT = N_("{pack} {version} plays from the next visit.")
# TRANSLATORS: {reason} is a technical sentence in English for the technician.
REFUSED_BECAUSE = N_("Refused: {reason}")
# TRANSLATORS: Staff menu: ask the admin (the museum's server) now which pack to play.
CHECK_FOR_PACKS = N_("Ask the admin for packs now")
ASKED_THE_ADMIN = N_("Asked the admin; a new pack downloads in the background.")
# TRANSLATORS: Staff menu: a pack sent by the admin waits for staff to switch to it.
SWITCH_NOW = N_("Switch to {pack} {version}")

# --- Out of order: no pack to play (shown in every language at once) -----------------------
OUT_OF_ORDER = N_("This kiosk is out of order.")
# TRANSLATORS: {number} is the emergency number, 112.
IN_AN_EMERGENCY_CALL = N_("In an emergency, call {number}.")
