"""Age groups a school session is for, and which stories fit a group."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# key -> (youngest age in the group, label). A story fits when its age_min is at most the
# group's youngest age: every student in the class is old enough for it.
AGE_GROUPS = {
    "10-12": (10, _l("10 to 12 years")),
    "13-14": (13, _l("13 to 14 years")),
    "15-16": (15, _l("15 to 16 years")),
    "17-19": (17, _l("17 to 19 years")),
    "adults": (18, _l("Adults")),
}


def youngest(group: str) -> int:
    """The youngest age of a group (KeyError for an unknown group)."""
    return AGE_GROUPS[group][0]


def fitting(pack, group: str, language: str | None = None) -> list:
    """The pack's stories whose minimum age fits the group (and that exist in the language)."""
    age = youngest(group)
    return [s for s in pack.stories.values()
            if s.age_min <= age and (language is None or language in s.languages)]
