"""The macros of the four common story formats read into our terms: a passage body becomes
plain text, its links (each with the conditions that guard it and the variables it sets),
entry `set`s and warnings for what has no place in our format.

Understood: Harlowe `(set:)`, `(if:)`/`(else-if:)`/`(else:)`/`(unless:)` hooks,
`(link: "Text")[(set: ...)(go-to: "Target")]`; SugarCube `<<set>>`, `<<if>>`/`<<elseif>>`/
`<<else>>`/`<</if>>`, setter links; Chapbook vars sections (`name: value` lines before `--`),
`[if x]`/`[unless x]`/`[else]`/`[continue]` modifiers, `{link to: 'P', label: 'T'}`; Snowman
`<% s.x = ... %>` and `<% if (s.x) { %>`/`<% } else { %>`/`<% } %>`. The declared story format
is not trusted: whichever macros appear are read. Expressions become
`kiosk.content.conditions` syntax, checked by its parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.content import conditions
from kiosk.content.twine import links as L

_Q = r'"(?:[^"\\]|\\.)*"'


def _nested(depth: int) -> str:
    """Macro arguments with parentheses nested up to `depth` deep (regexes cannot count)."""
    inner = rf'(?:[^()"]|{_Q})*'
    for _ in range(depth):
        inner = rf'(?:[^()"]|{_Q}|\({inner}\))*'
    return inner


_ARGS = _nested(4)
_CB_MODIFIERS = r"if|unless|else|continue|cont'd|cont|after|append|align|note|fork|transition"
_CB_INSERTS = (r"back\ link|restart\ link|link\ to|reveal\ link|embed\ \w+|cycling\ link|"
               r"dropdown\ menu|text\ input|\w+\ sound|sound\ effect|undo|redo|restart")
_TOKEN = re.compile(rf"""(?=[\[\]($<{{])  # every token starts so: a quick no elsewhere
  (?:(?P<cbmod>(?m:^)\[(?P<cbmod_kind>{_CB_MODIFIERS})\b(?P<cbmod_expr>[^\]\n]*)\][ \t]*(?m:$))
| (?P<snif><%\s*(?P<snif_else>\}}\s*else\s+)?if\s*\((?P<snif_expr>.*?)\)\s*\{{\s*%>)
| (?P<snelse><%\s*\}}\s*else\s*\{{\s*%>)
| (?P<snend><%\s*\}}\s*%>)
| (?P<snprint><%[=-].*?%>)
| (?P<snjs><%(?P<snjs_code>.*?)%>)
| (?P<cbvar>\{{[A-Za-z_][\w.]*\}})
| (?P<cbinsert>\{{(?:{_CB_INSERTS})\b[^{{}}\n]*\}})
| (?P<hlink>\(link:\s*(?P<hl_text>{_Q})\s*\)\[(?P<hl_sets>(?:\s*\(set:{_ARGS}\))*)\s*
      \(go-?to:\s*(?P<hl_target>{_Q})\s*\)\s*\])
| (?P<link>\[\[(?!\[).*?\]\])
| (?P<hif>\((?P<hif_kind>if|else-?if|unless):(?P<hif_expr>{_ARGS})\)\s*\[)
| (?P<helse>\(else:\s*\)\s*\[)
| (?P<hset>\(set:(?P<hset_expr>{_ARGS})\))
| (?P<scif><<\s*(?P<scif_kind>if|elseif)\s+(?P<scif_expr>.*?)>>)
| (?P<scelse><<\s*else\s*>>)
| (?P<scendif><<\s*/\s*if\s*>>|<<\s*endif\s*>>)
| (?P<scset><<\s*set\s+(?P<scset_expr>.*?)>>)
| (?P<scmacro><<.*?>>)
| (?P<hmacro>\([A-Za-z][\w-]*:{_ARGS}\))
| (?P<printvar>\$[A-Za-z_]\w*)
| (?P<script>(?i:<script\b.*?</script\s*>))
| (?P<tag></?[A-Za-z][^<>]*>)
| (?P<open>\[)
| (?P<close>\]))
""", re.VERBOSE | re.DOTALL)

_EXPR = re.compile(r"""\s*(?:
  (?P<hcount>\(count:\s*\(history:\)\s*,\s*(?P<hname>"[^"]*")\s*\))
| (?P<visited>visited\(\s*(?P<vname>"[^"]*"|'[^']*')\s*\))
| (?P<var>[$_][A-Za-z_][\w]*)
| (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
| (?P<num>-?\d+(?:\.\d+)?)
| (?P<op>is\s+not\b|isnot\b|is\b|eq\b|neq\b|gte\b|gt\b|lte\b|lt\b|===|!==|==|!=|>=|<=|>|<
       |&&|\|\||!(?!=)|and\b|or\b|not\b|\(|\))
| (?P<kw>true\b|false\b)
)""", re.VERBOSE)
_OPS = {"is not": "!=", "isnot": "!=", "neq": "!=", "!==": "!=", "!=": "!=", "is": "==",
        "eq": "==", "===": "==", "==": "==", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
        "&&": "and", "||": "or", "!": "not"}
_VALUE = r'(?P<val>-?\d+(?:\.\d+)?|true|false|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')'
_SET = re.compile(rf"^\$(?P<var>[A-Za-z_]\w*)\s*(?:to|=)\s*{_VALUE}$")
_ADD = re.compile(r"^\$(?P<var>[A-Za-z_]\w*)\s*(?:(?:to|=)\s*(?:it|\$(?P<again>\w+))\s*"
                  r"(?P<sign>[+-])|(?P<sign2>[+-])=)\s*(?P<num>\d+(?:\.\d+)?)$")


def _string(token: str) -> str:
    """A quoted value's text; a double-quoted one read as JSON (control characters and an
    escape JSON lacks, as a mangled file may hold, are kept as written)."""
    if token[0] != '"':
        return token[1:-1].replace("\\'", "'")
    try:
        return json.loads(token, strict=False)
    except ValueError:
        return token[1:-1]


def condition(expr: str, scene_id: Callable[[str], str | None]) -> str | None:
    """A Harlowe/SugarCube test in our condition syntax, or None when it is not simple."""
    out, pos, expr = [], 0, expr.strip()
    while pos < len(expr):
        m = _EXPR.match(expr, pos)
        if not m or m.end() == pos:
            if expr[pos:].strip():
                return None
            break
        pos = m.end()
        kind = next(k for k in ("hcount", "visited", "var", "str", "num", "op", "kw")
                    if m.group(k) is not None)
        if kind in ("hcount", "visited"):
            sid = scene_id(_string(m.group("hname") or m.group("vname")))
            if sid is None:
                return None
            out.append(f"visits({sid})")
        elif kind == "var":
            out.append(m.group("var")[1:])
        elif kind == "str":
            out.append(json.dumps(_string(m.group("str")), ensure_ascii=False))
        elif kind == "op":
            op = re.sub(r"\s+", " ", m.group("op"))
            out.append(_OPS.get(op, op))
        else:
            out.append(m.group(kind))
    source = " ".join(out).replace("( ", "(").replace(" )", ")")
    try:
        conditions.parse(source)
    except conditions.ConditionError:
        return None
    return source


def _split(expr: str) -> list[str]:
    parts, cur, quote = [], [], ""
    for ch in expr:
        if quote:
            cur.append(ch)
            quote = "" if ch == quote and cur[-2:-1] != ["\\"] else quote
        elif ch in "\"'":
            quote = ch
            cur.append(ch)
        elif ch in ",;":
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def assignments(expr: str) -> tuple[dict, dict] | None:
    """`(set:)`/`<<set>>`/setter text as our (set, add) maps, or None when not simple."""
    sets: dict = {}
    adds: dict = {}
    for part in _split(expr):
        m = _ADD.match(part)
        if m and (m.group("again") in (None, m.group("var"))):
            n = float(m.group("num"))
            n = int(n) if n.is_integer() else n
            adds[m.group("var")] = -n if "-" in (m.group("sign") or m.group("sign2")) else n
            continue
        m = _SET.match(part)
        if not m:
            return None
        v = m.group("val")
        if v in ("true", "false"):
            sets[m.group("var")] = v == "true"
        elif v[0] in "\"'":
            sets[m.group("var")] = _string(v)
        else:
            sets[m.group("var")] = float(v) if "." in v else int(v)
    return sets, adds


# Chapbook's link insert: {link to: 'Passage', label: 'Text'} (label optional)
_CB_LINK_TO = re.compile(r"""\{link\ to:\s*(?P<target>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*"""
                         r"""(?:,\s*label:\s*(?P<label>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*)?\}$""")
_CB_IDENT = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b([A-Za-z_][\w.]*)""")
_CB_KEEP = {"true", "false"}
_SN_STATE = re.compile(r"\b(?:story\.state|s)\.([A-Za-z_]\w*)")
_SN_STEP = re.compile(r"\$(\w+)\s*(\+\+|--)")
# Chapbook: `name: value` lines, then a line `--`, at the very top of a passage.
_CB_VARS = re.compile(r"\A((?:[ \t]*[A-Za-z_][\w.]*[ \t]*(?:\([^)\n]*\))?[ \t]*:[^\n]*\n)+)"
                      r"--[ \t]*(?:\n|\Z)")
_CB_VAR_LINE = re.compile(r"^\s*(?P<name>[A-Za-z_][\w.]*)\s*(?P<cond>\([^)]*\))?\s*:\s*"
                          r"(?P<value>.*?)\s*$")


def chapbook_expr(expr: str) -> str:
    """A Chapbook (JavaScript) expression with its bare variable names written `$name`, so
    that `condition` and `assignments` read it; dotted names (`passage.visits`) stay and
    make it not simple."""
    def name(m: re.Match) -> str:
        if m.group(1) or m.group(2) in _CB_KEEP or "." in m.group(2):
            return m.group(0)
        return "$" + m.group(2)
    return _CB_IDENT.sub(name, expr)


def snowman_expr(expr: str) -> str:
    """A Snowman (JavaScript) expression with `s.x` / `story.state.x` written `$x`."""
    out = _SN_STATE.sub(r"$\1", expr)
    return _SN_STEP.sub(lambda m: f"${m.group(1)} {m.group(2)[0]}= 1", out)


@dataclass
class Way:
    """A link found in a passage, with its guard and its effects; `line` is 0-based."""

    text: str
    target: str
    bare: bool
    condition: str | None
    set: dict = field(default_factory=dict)
    add: dict = field(default_factory=dict)
    line: int = 0


@dataclass
class Body:
    """What a passage body amounts to in our terms."""

    text: str
    ways: list[Way] = field(default_factory=list)
    set: dict = field(default_factory=dict)
    add: dict = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (0-based line, sentence)


def _short(s: str, n: int = 50) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def read_body(source: str, scene_id: Callable[[str], str | None]) -> Body:
    """Scan one passage: links with their guards, sets, plain text and warnings."""
    body = Body(text="")
    source = _vars_section(source, body)
    text: list[str] = []
    stack: list[tuple[str, str | None]] = []  # (kind, our condition or None)
    chain: list[str | None] = []  # conditions of the if-chain just closed (for else)
    pos = 0

    counted = [0, 0]  # (offset, lines before it): counting on from the last token is linear

    def line_of(i: int) -> int:
        counted[1] += source.count("\n", counted[0], i)
        counted[0] = i
        return counted[1]

    def guard() -> str | None:
        parts = [c for _, c in stack if c]
        if not parts:
            return None
        return " and ".join(f"({c})" if len(parts) > 1 else c for c in parts)

    def else_of(prev: list[str | None]) -> str | None:
        if any(c is None for c in prev) or not prev:
            return None
        return " and ".join(f"not ({c})" for c in prev)

    warned: list[tuple] = []  # frames whose guarded text was already warned about

    def plain(chunk: str, at: int) -> None:
        text.append(chunk)
        guarded = [f for f in stack if f[0] != "plain"]
        if chunk.strip() and guarded and not any(f is guarded[-1] for f in warned):
            warned.append(guarded[-1])
            test = guarded[-1][1] or "a test"
            at += len(chunk) - len(chunk.lstrip())
            body.warnings.append((line_of(at), f'text shown only when "{_short(test)}" is kept '
                                  "for every visitor: our scenes have no conditional text"))

    for m in _TOKEN.finditer(source):
        plain(source[pos:m.start()], pos)
        pos = m.end()
        tok, line = m.group(0), line_of(m.start())
        kind = m.lastgroup if m.lastgroup in _KINDS else next(
            k for k in _KINDS if m.group(k) is not None)
        if kind in ("link", "hlink"):
            if kind == "link":
                link = L.parse(tok[2:-2])
                if link is None:
                    text.append(tok[2:-2])
                    continue
                way = Way(link.text, link.target, link.bare, guard(), line=line)
                setter = link.setter
            else:
                way = Way(_string(m.group("hl_text")), _string(m.group("hl_target")), False,
                          guard(), line=line)
                setter = ", ".join(re.findall(rf"\(set:({_ARGS})\)", m.group("hl_sets")))
            if setter:
                got = assignments(setter)
                if got is None:
                    body.warnings.append((line, f'the link to "{way.target}" sets '
                                          f'"{_short(setter)}", which is not a simple flag, '
                                          "number or string; left out"))
                else:
                    way.set, way.add = got
            body.ways.append(way)
        elif kind in ("hif", "scif"):
            k = (m.group("hif_kind") or m.group("scif_kind")).lower().replace("-", "")
            expr = m.group("hif_expr") if kind == "hif" else m.group("scif_expr")
            cond = condition(expr, scene_id)
            if cond is None:
                body.warnings.append((line, f'the test "{_short(expr)}" is not simple enough '
                                      "to map; what it guards is kept unconditional"))
            elif k == "unless":
                cond = f"not ({cond})"
            if k == "elseif":
                if kind == "scif":  # the <<if>> part ends where <<elseif>> starts
                    prev = stack.pop()[1] if stack and stack[-1][0] == "sc" else None
                    chain = [*chain, prev]
                cond = _and(else_of(chain), cond)
            else:
                chain = []
            stack.append(("sc" if kind == "scif" else "hook", cond))
        elif kind == "helse":
            stack.append(("hook", else_of(chain)))
            chain = [None]  # an else ends the chain
        elif kind == "scelse":
            prev = stack.pop()[1] if stack and stack[-1][0] == "sc" else None
            chain = [*chain, prev]
            stack.append(("sc", else_of(chain)))
        elif kind == "scendif":
            if stack and stack[-1][0] == "sc":
                stack.pop()
            chain = []
        elif kind == "cbmod":  # a modifier ends the one before it; else/continue follow it
            k = m.group("cbmod_kind")
            prev = stack.pop()[1] if stack and stack[-1][0] == "cb" else None
            if k in ("if", "unless"):
                expr = m.group("cbmod_expr")
                cond = condition(chapbook_expr(expr), scene_id)
                if cond is None:
                    body.warnings.append((line, f'the test "{_short(expr)}" is not simple '
                                          "enough to map; what it guards is kept "
                                          "unconditional"))
                elif k == "unless":
                    cond = f"not ({cond})"
                stack.append(("cb", cond))
            elif k == "else":
                stack.append(("cb", else_of([prev])))
            elif k not in ("continue", "cont", "cont'd"):
                body.warnings.append((line, f'the modifier "{_short(tok.strip())}" has no '
                                      "place in a kiosk story; removed, the text after it "
                                      "kept"))
        elif kind == "snif":
            cond = condition(snowman_expr(m.group("snif_expr")), scene_id)
            if cond is None:
                body.warnings.append((line, f'the test "{_short(m.group("snif_expr"))}" is '
                                      "not simple enough to map; what it guards is kept "
                                      "unconditional"))
            if m.group("snif_else"):
                prev = stack.pop()[1] if stack and stack[-1][0] == "sn" else None
                chain = [*chain, prev]
                cond = _and(else_of(chain), cond)
            else:
                chain = []
            stack.append(("sn", cond))
        elif kind == "snelse":
            prev = stack.pop()[1] if stack and stack[-1][0] == "sn" else None
            chain = [*chain, prev]
            stack.append(("sn", else_of(chain)))
        elif kind == "snend":
            if stack and stack[-1][0] == "sn":
                stack.pop()
            chain = []
        elif kind == "snjs":
            got = assignments(snowman_expr(m.group("snjs_code").strip().rstrip(";")))
            if got is None:
                body.warnings.append((line, f'the script "{_short(tok)}" has no place in a '
                                      "kiosk story; removed, the text around it kept"))
            elif guard():
                body.warnings.append((line, f'"{_short(tok)}" is conditional; left out'))
            else:
                body.set.update(got[0])
                body.add.update(got[1])
        elif kind in ("snprint", "cbvar"):
            if kind == "cbvar":
                text.append(tok)
            body.warnings.append((line, f'the text shows "{_short(tok)}", which a kiosk story '
                                  "cannot; " + ("kept as written" if kind == "cbvar"
                                                else "removed")))
        elif kind == "cbinsert" and (to := _CB_LINK_TO.match(tok)):
            target = _string(to.group("target"))
            label = _string(to.group("label")) if to.group("label") else target
            body.ways.append(Way(label, target, False, guard(), line=line))
        elif kind == "cbinsert":
            body.warnings.append((line, f'the insert "{_short(tok)}" has no place in a kiosk '
                                  "story; removed, the text around it kept"))
        elif kind in ("hset", "scset"):
            expr = m.group("hset_expr") if kind == "hset" else m.group("scset_expr")
            got = assignments(expr)
            if got is None or guard():
                why = "is not a simple flag, number or string" if got is None else \
                    "is conditional"
                body.warnings.append((line, f'"{_short(tok)}" {why}; left out'))
            else:
                body.set.update(got[0])
                body.add.update(got[1])
        elif kind == "open":
            stack.append(("plain", None))
            text.append(tok)
        elif kind == "close":
            if stack and stack[-1][0] in ("hook", "plain"):
                k2, cond = stack.pop()
                if k2 == "plain":
                    text.append(tok)
                else:
                    chain = [*chain, cond]
            else:
                text.append(tok)
        elif kind == "printvar":
            text.append(tok)
            body.warnings.append((line, f"the text shows the variable {tok}, which a kiosk "
                                  "story cannot; kept as written"))
        elif kind == "tag":
            pass  # markup only: the kiosk lays out plain text
        else:
            what = {"script": "a script", "scmacro": "the macro", "hmacro": "the macro"}[kind]
            body.warnings.append((line, f'{what} "{_short(tok)}" has no place in a kiosk '
                                  "story; removed, the text around it kept"))
    plain(source[pos:], pos)
    joined = "\n".join(line.rstrip() for line in "".join(text).split("\n"))
    body.text = re.sub(r"\n{3,}", "\n\n", joined).strip()
    return body


_KINDS = ("cbmod", "snif", "snelse", "snend", "snprint", "snjs", "cbvar", "cbinsert", "hlink",
          "link", "hif", "helse", "hset", "scif", "scelse", "scendif", "scset", "scmacro",
          "hmacro", "printvar", "script", "tag", "open", "close")


def _vars_section(source: str, body: Body) -> str:
    """Read a Chapbook vars section into `body`; the source with it blanked (lines kept)."""
    m = _CB_VARS.match(source)
    if not m:
        return source
    for i, raw in enumerate(m.group(1).splitlines()):
        v = _CB_VAR_LINE.match(raw)
        name, value = v.group("name"), v.group("value")
        got = None if v.group("cond") or "." in name else \
            assignments(f"${name} = {chapbook_expr(value)}")
        if got is None:
            why = ("is conditional" if v.group("cond") else "sets a setting of Chapbook itself"
                   if "." in name else "is not a simple flag, number or string")
            body.warnings.append((i, f'"{_short(raw)}" {why}; left out'))
        else:
            body.set.update(got[0])
            body.add.update(got[1])
    return "\n" * m.group(0).count("\n") + source[m.end():]


def _and(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"({a}) and ({b})"
    return a or b
