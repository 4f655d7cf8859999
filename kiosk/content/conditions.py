"""Conditions on choices: a small expression language, parsed at load time, never `eval`ed.

    saw_messages
    not saw_messages and trust >= 2
    visits(advert) == 0 or (asked and mood != "angry")

A parsed condition is plain data (nested lists), so it survives the compiled cache:
`["var", name]`, `["lit", value]`, `["visits", scene]`, `["not", x]`, `["and", x, y, ...]`,
`["or", x, y, ...]`, `["cmp", op, left, right]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from kiosk.content.phrase import Phrase

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>-?\d+(?:\.\d+)?)
    | (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<op>==|!=|<=|>=|<|>|=|\(|\))
    | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
KEYWORDS = {"and", "or", "not", "true", "false", "visits"}


class ConditionError(ValueError):
    """A condition that cannot be parsed; `column` is 1-based within the expression.
    `message` is a Phrase (the admin translates it); str() is the English."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


def _tokens(source: str) -> list[tuple[str, str, int]]:
    out = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            break
        kind = m.lastgroup
        text = m.group(kind)
        col = m.start(kind) + 1
        if kind == "bad":
            raise ConditionError(Phrase('unexpected character "%(text)s"', text=text), col)
        out.append((kind, text, col))
        pos = m.end()
    out.append(("end", "", len(source) + 1))
    return out


class _Parser:
    def __init__(self, source: str):
        self.toks = _tokens(source)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        kind, got, col = self.take()
        if got != text:
            raise ConditionError(Phrase('expected "%(text)s" but found "%(got)s"', text=text,
                                        got=got) if got else
                                 Phrase('expected "%(text)s" but found "the end"', text=text),
                                 col)

    def parse(self) -> list:
        node = self.or_()
        kind, text, col = self.peek()
        if kind != "end":
            raise ConditionError(Phrase('unexpected "%(text)s" (a missing "and" or "or"?)',
                                        text=text), col)
        return node

    def or_(self) -> list:
        parts = [self.and_()]
        while self.peek()[1] == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ["or", *parts]

    def and_(self) -> list:
        parts = [self.not_()]
        while self.peek()[1] == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else ["and", *parts]

    def not_(self) -> list:
        if self.peek()[1] == "not":
            self.take()
            return ["not", self.not_()]
        return self.cmp()

    def cmp(self) -> list:
        left = self.atom()
        kind, text, _ = self.peek()
        if kind == "op" and (text in COMPARISONS or text == "="):
            self.take()
            right = self.atom()
            return ["cmp", "==" if text == "=" else text, left, right]
        return left

    def atom(self) -> list:
        kind, text, col = self.take()
        if kind == "num":
            return ["lit", float(text) if "." in text else int(text)]
        if kind == "str":
            return ["lit", text[1:-1].replace('\\"', '"').replace("\\\\", "\\")]
        if text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if text in ("true", "false"):
            return ["lit", text == "true"]
        if text == "visits":
            self.expect("(")
            k, scene, c = self.take()
            if k != "name":
                raise ConditionError(Phrase("visits() needs a scene id, like visits(home)"), c)
            self.expect(")")
            return ["visits", scene]
        if kind == "name" and text not in KEYWORDS:
            return ["var", text]
        raise ConditionError(Phrase('expected a name, number or "(" but found "%(text)s"',
                                    text=text) if text else
                             Phrase('expected a name, number or "(" but found "the end"'), col)


def parse(source: str) -> list:
    """Parse a condition into plain data, or raise ConditionError with the column."""
    if not source.strip():
        raise ConditionError(Phrase("the condition is empty"), 1)
    return _Parser(source).parse()


def names(node: list) -> tuple[set[str], set[str]]:
    """The variables and the scenes (in visits()) a parsed condition refers to."""
    variables: set[str] = set()
    scenes: set[str] = set()

    def walk(n: list) -> None:
        head = n[0]
        if head == "var":
            variables.add(n[1])
        elif head == "visits":
            scenes.add(n[1])
        elif head == "cmp":
            walk(n[2])
            walk(n[3])
        elif head in ("and", "or", "not"):
            for part in n[1:]:
                walk(part)

    walk(node)
    return variables, scenes


_OPS: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: list, variables: Mapping[str, object], visits: Mapping[str, int]) -> bool:
    """Evaluate a parsed condition; an unset variable is false (0 beside a number)."""
    return bool(_value(node, variables, visits))


def _value(node: list, variables: Mapping[str, object], visits: Mapping[str, int]) -> object:
    head = node[0]
    if head == "var":
        return variables.get(node[1], False)
    if head == "lit":
        return node[1]
    if head == "visits":
        return visits.get(node[1], 0)
    if head == "not":
        return not _value(node[1], variables, visits)
    if head == "and":
        return all(_value(n, variables, visits) for n in node[1:])
    if head == "or":
        return any(_value(n, variables, visits) for n in node[1:])
    if head == "cmp":
        left = _value(node[2], variables, visits)
        right = _value(node[3], variables, visits)
        left, right = _coerce(left, right)
        try:
            return _OPS[node[1]](left, right)
        except TypeError:  # "abc" < 3: a mismatch is simply not true
            return False
    raise ValueError(f"unknown condition node {head!r}")


def _coerce(left: object, right: object) -> tuple[object, object]:
    # An unset variable (False) compared with a number counts as 0; bools stay bools otherwise.
    if left is False and isinstance(right, (int, float)) and not isinstance(right, bool):
        return 0, right
    if right is False and isinstance(left, (int, float)) and not isinstance(left, bool):
        return left, 0
    return left, right
