"""Conditions evaluated against states, with the expected truth written down from the
format's meaning (docs/content-format.md: a choice shows only when its condition is true;
an unset variable is false, and 0 beside a number). Every operator at its boundary."""

import pytest

from kiosk.content.conditions import ConditionError, evaluate, names, parse

# (condition, variables, visits, expected)
TABLE = [
    # each comparison just below, at and just above its boundary
    ("trust < 2", {"trust": 1}, {}, True),
    ("trust < 2", {"trust": 2}, {}, False),
    ("trust < 2", {"trust": 3}, {}, False),
    ("trust <= 2", {"trust": 1}, {}, True),
    ("trust <= 2", {"trust": 2}, {}, True),
    ("trust <= 2", {"trust": 3}, {}, False),
    ("trust > 2", {"trust": 2}, {}, False),
    ("trust > 2", {"trust": 3}, {}, True),
    ("trust >= 2", {"trust": 1}, {}, False),
    ("trust >= 2", {"trust": 2}, {}, True),
    ("trust >= 2", {"trust": 3}, {}, True),
    ("trust == 2", {"trust": 2}, {}, True),
    ("trust == 2", {"trust": 3}, {}, False),
    ("trust = 2", {"trust": 2}, {}, True),  # a single = means equal
    ("trust = 2", {"trust": 1}, {}, False),
    ("trust != 2", {"trust": 2}, {}, False),
    ("trust != 2", {"trust": 1}, {}, True),
    ("2 < trust", {"trust": 3}, {}, True),  # the literal on the left
    ("2 < trust", {"trust": 2}, {}, False),
    ("trust >= 1.5", {"trust": 1.5}, {}, True),
    ("trust >= 1.5", {"trust": 1.4}, {}, False),
    ("trust > -1", {"trust": 0}, {}, True),
    ("trust > -1", {"trust": -1}, {}, False),
    # an unset variable: false alone, 0 beside a number
    ("trust", {}, {}, False),
    ("not trust", {}, {}, True),
    ("trust == 0", {}, {}, True),
    ("trust < 1", {}, {}, True),
    ("trust >= 1", {}, {}, False),
    ("0 == trust", {}, {}, True),
    # booleans and words
    ("saw_messages", {"saw_messages": True}, {}, True),
    ("saw_messages", {"saw_messages": False}, {}, False),
    ("saw_messages == true", {"saw_messages": True}, {}, True),
    ("saw_messages == false", {"saw_messages": True}, {}, False),
    ('mood == "angry"', {"mood": "angry"}, {}, True),
    ('mood == "angry"', {"mood": "calm"}, {}, False),
    ('mood != "angry"', {"mood": "calm"}, {}, True),
    ('mood != "angry"', {}, {}, True),
    ('mood < 3', {"mood": "calm"}, {}, False),  # text beside a number is never true
    ('mood >= 3', {"mood": "calm"}, {}, False),
    # visits
    ("visits(advert) == 0", {}, {}, True),
    ("visits(advert) == 0", {}, {"advert": 1}, False),
    ("visits(advert) >= 2", {}, {"advert": 1}, False),
    ("visits(advert) >= 2", {}, {"advert": 2}, True),
    ("visits(advert)", {}, {"advert": 1}, True),
    ("not visits(advert)", {}, {"advert": 1}, False),
    # and, or, not, and their precedence (not > and > or)
    ("a and b", {"a": True, "b": True}, {}, True),
    ("a and b", {"a": True, "b": False}, {}, False),
    ("a and b", {"a": False, "b": True}, {}, False),
    ("a or b", {"a": False, "b": False}, {}, False),
    ("a or b", {"a": False, "b": True}, {}, True),
    ("a or b", {"a": True, "b": False}, {}, True),
    ("a and b and c", {"a": True, "b": True, "c": False}, {}, False),
    ("a or b or c", {"c": True}, {}, True),
    ("a or b and c", {"a": True}, {}, True),  # a or (b and c)
    ("a or b and c", {"b": True}, {}, False),
    ("(a or b) and c", {"a": True}, {}, False),
    ("(a or b) and c", {"a": True, "c": True}, {}, True),
    ("not a and b", {"a": False, "b": True}, {}, True),  # (not a) and b
    ("not a and b", {"a": True, "b": True}, {}, False),
    ("not (a and b)", {"a": True, "b": False}, {}, True),
    ("not not a", {"a": True}, {}, True),
    ("not saw_messages and trust >= 2", {"trust": 2}, {}, True),
    ("not saw_messages and trust >= 2", {"trust": 2, "saw_messages": True}, {}, False),
    ('visits(advert) == 0 or (asked and mood != "angry")', {"asked": True, "mood": "calm"},
     {"advert": 1}, True),
    ('visits(advert) == 0 or (asked and mood != "angry")', {"asked": True, "mood": "angry"},
     {"advert": 1}, False),
    # visits() inside "and" (the mutation run found it untested there)
    ("visits(advert) > 0 and asked", {"asked": True}, {"advert": 1}, True),
    ("visits(advert) > 0 and asked", {"asked": True}, {}, False),
    # visits() on both sides of a comparison
    ("visits(home) > visits(end)", {}, {"home": 2, "end": 1}, True),
    ("visits(home) > visits(end)", {}, {"home": 1, "end": 1}, False),
    # a quote inside a string is written \"
    ('mood == "say \\"no\\""', {"mood": 'say "no"'}, {}, True),
]


@pytest.mark.parametrize(("condition", "variables", "visits", "expected"), TABLE)
def test_a_condition_is_true_exactly_when_it_should_be(condition, variables, visits, expected):
    assert evaluate(parse(condition), variables, visits) is expected


@pytest.mark.parametrize(("condition", "column"), [
    ("", 1), ("trust >=", 9), ("(a or b", 8), ("a b", 3), ("trust > 2 2", 11),
    ("visits(1)", 8), ("a & b", 3), ("and a", 1),
])
def test_a_broken_condition_names_its_column(condition, column):
    with pytest.raises(ConditionError) as caught:
        parse(condition)
    assert caught.value.column == column


@pytest.mark.parametrize(("condition", "message"), [
    ("", "the condition is empty"),
    ("(a or b", 'expected ")" but found "the end"'),
    ("visits(1)", "visits() needs a scene id, like visits(home)"),
    ("trust >=", 'expected a name, number or "(" but found "the end"'),
    ("and a", 'expected a name, number or "(" but found "and"'),
    ("a b", 'unexpected "b" (a missing "and" or "or"?)'),
])
def test_a_broken_condition_says_what_is_wrong(condition, message):
    with pytest.raises(ConditionError) as caught:
        parse(condition)
    assert str(caught.value) == message


# What a condition refers to: the validator reports the variables no choice sets and the
# scenes visits() names that do not exist from these.
@pytest.mark.parametrize(("condition", "variables", "scenes"), [
    ("asked", {"asked"}, set()),
    ("not asked", {"asked"}, set()),
    ("trust >= 2 and (asked or visits(advert) == 0)", {"trust", "asked"}, {"advert"}),
    ('mood != "angry" or visits(home) > visits(end)', {"mood"}, {"home", "end"}),
    ("true", set(), set()),
])
def test_names_are_the_variables_and_scenes_a_condition_refers_to(condition, variables, scenes):
    assert names(parse(condition)) == (variables, scenes)
