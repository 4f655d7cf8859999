"""Named placeholders (`{seconds}`) and plural forms: what a translation must keep."""

from __future__ import annotations

import gettext
import string
from collections.abc import Callable
from functools import lru_cache

from babel.messages.plurals import get_plural

from kiosk.content.phrase import Phrase

# Numbers a plural rule is probed with: every small number, and the large round ones that
# some rules single out (Italian, French and Spanish have a form for millions).
_PROBES = [*range(0, 1001), 10**6, 2 * 10**6, 10**7]


class BadPlaceholders(ValueError):
    """A format string with unbalanced braces or a positional `{}` field."""


def placeholders(text: str) -> set[str]:
    """The names of the `{fields}` in `text`; raises BadPlaceholders on a malformed string."""
    names: set[str] = set()
    try:
        for _literal, field, _spec, _conv in string.Formatter().parse(text):
            if field is None:
                continue
            name = field.split(".")[0].split("[")[0]
            if not name or name.isdigit():
                raise BadPlaceholders(f"positional placeholder {{{field}}} in {text!r}: "
                                      "use a name such as {seconds}")
            names.add(name)
    except ValueError as exc:
        if isinstance(exc, BadPlaceholders):
            raise
        raise BadPlaceholders(f"malformed braces in {text!r}: {exc}") from exc
    return names


@lru_cache(maxsize=64)
def plural_rule(language: str) -> tuple[int, Callable[[int], int]]:
    """(number of forms, function n -> form index) for `language`, from Babel's table."""
    rule = get_plural(language.replace("-", "_"))
    return rule.num_plurals, gettext.c2py(rule.plural_expr)


def single_number_forms(num_plurals: int, index_of: Callable[[int], int]) -> set[int]:
    """Plural forms used for exactly one number (Arabic 'one' and 'two', English 'one')."""
    hits: dict[int, int] = {}
    for n in _PROBES:
        idx = index_of(n)
        hits[idx] = hits.get(idx, 0) + 1
    return {idx for idx in range(num_plurals) if hits.get(idx) == 1}


def placeholder_problems(expected: set[str], forms: list[str],
                         single_forms: set[int] | None = None) -> list[str]:
    """Sentences describing placeholders a translation lost, added or broke (Phrases: the
    admin shows a pack override's problems translated)."""
    problems: list[str] = []
    for idx, form in enumerate(forms):
        label = Phrase("form %(n)s", n=str(idx)) if len(forms) > 1 or single_forms \
            else Phrase("translation")
        try:
            found = placeholders(form)
        except BadPlaceholders as exc:
            problems.append(Phrase("%(label)s: %(problem)s", label=label, problem=str(exc)))
            continue
        extra = found - expected
        missing = expected - found
        # A form for one number only may say the number in words ("دقيقة واحدة", "one").
        if single_forms and idx in single_forms:
            missing = set()
        if extra:
            problems.append(Phrase("%(label)s has unknown placeholder(s) %(names)s", label=label,
                                   names=", ".join("{" + n + "}" for n in sorted(extra))))
        if missing:
            problems.append(Phrase("%(label)s lacks placeholder(s) %(names)s", label=label,
                                   names=", ".join("{" + n + "}" for n in sorted(missing))))
    return problems
