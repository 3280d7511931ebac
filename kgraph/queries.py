"""The library of named SPARQL queries in ``queries/*.rq`` and how their parameters bind.

Each query file starts with a header comment::

    # title: Two-way pairs
    # question: Which pairs of agents exchanged flows in both directions?
    # param: kindRoot iri(cedkind) cedkind:knowledge  Only flows of a kind under this concept
    # param: lang lang en  Label language (falls back to the other official language)
    # row: one pair of organisations, with the flows each way and their balance
    # example: kgraph query two-way-pairs --param kindRoot=resource

``param: NAME TYPE DEFAULT DESCRIPTION``: TYPE is iri, iri(PREFIX), string, lang, date,
integer, decimal or boolean; DEFAULT is a value, ``-`` for a required parameter, or ``*`` to
leave the variable unbound (no filter). Values are bound to the query's variables as RDF
terms, never pasted into its text.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kgraph import bundle
from kgraph.errors import ParameterError, QueryError
from kgraph.namespaces import PREFIXES, XSD, expand
from kgraph.sparqlscan import strip_comments_and_literals

TYPES = ("iri", "string", "lang", "date", "integer", "decimal", "boolean")
REQUIRED, UNBOUND = "-", "*"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # raw text; None = required; "*" = left unbound
    description: str = ""
    prefix: str | None = None  # for iri(PREFIX): a bare slug gets this prefix

    @property
    def required(self) -> bool:
        return self.default is None

    def signature(self) -> str:
        t = f"iri({self.prefix})" if self.prefix else self.type
        d = "required" if self.required else ("all" if self.default == UNBOUND else f"default {self.default}")
        return f"{self.name} ({t}, {d})"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path | None
    text: str
    title: str = ""
    question: str = ""
    params: tuple[Param, ...] = ()
    row: str = ""
    example: str = ""
    headers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def form(self) -> str:
        """SELECT, CONSTRUCT, ASK or DESCRIBE (first keyword after the prologue)."""
        body = strip_comments_and_literals(self.text)
        m = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.I)
        return m.group(1).upper() if m else "SELECT"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# -- loading ------------------------------------------------------------------------------

_HEADER = re.compile(r"^#\s*(title|question|param|row|example|check|uses)\s*:\s?(.*)$", re.I)


def parse_query_file(path: Path, *, name: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its header.

    :raises QueryError: for a malformed ``param:`` line (named with file and line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise QueryError(f"{path}:{line}: not UTF-8 text (byte 0x{e.object[e.start]:02x}); save the query as UTF-8") \
            from None
    except OSError as e:
        raise QueryError(f"{path}: cannot read ({(e.strerror or str(e)).lower()}); check the path") from None
    headers: dict[str, str] = {}
    params: list[Param] = []
    last = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            if key == "param":
                params.append(_parse_param(value, path, lineno))
                last = None
            else:
                headers[key] = value
                last = key
        elif last and re.match(r"^#\s{2,}\S", line):
            headers[last] += " " + line[1:].strip()
    return NamedQuery(
        name=name or path.stem, path=path, text=text, title=headers.get("title", ""),
        question=headers.get("question", ""), params=tuple(params), row=headers.get("row", ""),
        example=headers.get("example", ""), headers=headers)


def _parse_param(spec: str, path: Path, lineno: int) -> Param:
    try:
        parts = shlex.split(spec)
    except ValueError as e:
        raise QueryError(f"{path}:{lineno}: bad param line ({e})") from None
    if len(parts) < 3:
        raise QueryError(f"{path}:{lineno}: a param line needs NAME TYPE DEFAULT [DESCRIPTION]")
    name, typ, default = parts[0].lstrip("?"), parts[1], parts[2]
    prefix = None
    m = re.fullmatch(r"iri\((\w+)\)", typ)
    if m:
        typ, prefix = "iri", m.group(1)
        if prefix not in PREFIXES:
            raise QueryError(f"{path}:{lineno}: unknown prefix {prefix!r} in iri({prefix})")
    if typ not in TYPES:
        raise QueryError(f"{path}:{lineno}: unknown param type {typ!r}; use one of {', '.join(TYPES)}")
    return Param(name, typ, None if default == REQUIRED else default, " ".join(parts[3:]), prefix)


@cache
def _library(directory: Path) -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def library() -> dict[str, NamedQuery]:
    """The named queries shipped in ``queries/`` (not the checks), by name."""
    return _library(bundle.queries_dir())


def load_checks() -> list[NamedQuery]:
    """The data-quality checks ``queries/checks/*-violation.rq`` (any row is a failure)."""
    return list(_library(bundle.checks_dir()).values())


def cookbook() -> dict[str, NamedQuery]:
    """The cookbook's worked queries ``queries/cookbook/*.rq`` (docs/cookbook.md), by file stem."""
    return _library(bundle.queries_dir() / "cookbook")


def find(name_or_file: str) -> NamedQuery:
    """A named query, a cookbook query (``cookbook/01-who-funds-whom`` or ``cookbook/who-funds-whom``),
    or a query read from a ``.rq`` file.

    :raises QueryError: naming the closest query names when there is no such query.
    """
    lib = library()
    if name_or_file in lib:
        return lib[name_or_file]
    if name_or_file.startswith("cookbook/") and not Path(name_or_file).is_file():
        return _cookbook_entry(name_or_file.removeprefix("cookbook/").removesuffix(".rq"))
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{name_or_file}: no such query file")
        return parse_query_file(path)
    close = difflib.get_close_matches(name_or_file, list(lib), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; run `kgraph queries` to list them"
    raise QueryError(f"unknown query {name_or_file!r}{hint}")


def _cookbook_entry(name: str) -> NamedQuery:
    book = cookbook()
    if name in book:
        return book[name]
    numbered = [q for stem, q in book.items() if re.fullmatch(r"\d+-" + re.escape(name), stem)]
    if len(numbered) == 1:  # cookbook/who-funds-whom for 01-who-funds-whom
        return numbered[0]
    close = difflib.get_close_matches(name, list(book), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join('cookbook/' + c for c in close)}?" if close else \
        "; docs/cookbook.md lists them"
    raise QueryError(f"unknown cookbook query {name!r}{hint}")


def adhoc(text: str) -> NamedQuery:
    """A query given as text (``--sparql``); its parameters are typed by their look."""
    return NamedQuery(name="(inline)", path=None, text=text)


# -- binding ------------------------------------------------------------------------------

def bind(query: NamedQuery, raw: Mapping[str, str | ox.Term], *, lang: str | None = None) -> dict[str, ox.Term]:
    """Turn ``--param name=value`` strings into typed RDF terms for the query's variables.

    Declared parameters are typed by their declaration and take their defaults; a query
    without declarations (inline text, a file without header) types each value by its look,
    and each name must be a variable the query reads but does not assign itself. ``lang``
    fills a ``lang`` parameter unless one is given explicitly; in a query without
    declarations only a ``?lang`` it reads and never assigns (so ``BIND(lang(?l) AS ?lang)``
    is the query's own variable, not a parameter).

    :raises ParameterError: for an unknown, missing or ill-typed parameter.
    """
    values = dict(raw)
    if not query.params:
        used, assigned = variables(query.text), assigned_variables(query.text)
        if lang and "lang" not in values and "lang" in used and "lang" not in assigned:
            values["lang"] = lang
        for name in values:
            _check_inline_name(query, name, used, assigned)
        return {name: value if isinstance(value, (ox.NamedNode, ox.Literal)) else _guess(name, value)
                for name, value in values.items()}
    declared = {p.name for p in query.params}
    for name in values:
        if name not in declared:
            takes = ", ".join(p.signature() for p in query.params)
            raise ParameterError(f"query {query.name!r} has no parameter {name!r}; it takes: {takes}")
    if lang and "lang" in declared and "lang" not in values:
        values["lang"] = lang
    out = {}
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            raise ParameterError(
                f"query {query.name!r} needs --param {p.name}=... ({p.type}{': ' + p.description if p.description else ''})")
        if value == UNBOUND:
            continue
        out[p.name] = to_term(p, value)
    return out


_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")


def variables(text: str) -> list[str]:
    """The variables a query mentions, in order of first mention (comments and strings skipped).

    >>> variables('SELECT ?a WHERE { ?a ?p $b FILTER(?p != "?c") } # ?d')
    ['a', 'p', 'b']
    """
    body = strip_comments_and_literals(text)
    return list(dict.fromkeys(m.group(1) for m in re.finditer(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)", body)))


def assigned_variables(text: str) -> set[str]:
    """Variables the query gives values itself: ``BIND(... AS ?x)``, ``(expr AS ?x)``, ``VALUES``.

    >>> sorted(assigned_variables("SELECT (COUNT(*) AS ?n) { VALUES (?a ?b) { (1 2) } BIND(1 AS ?c) VALUES ?d { 1 } }"))
    ['a', 'b', 'c', 'd', 'n']
    """
    body = strip_comments_and_literals(text)
    out = set(re.findall(r"\bAS\s+[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)", body, re.I))
    out |= set(re.findall(r"\bVALUES\s+[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)", body, re.I))
    for group in re.findall(r"\bVALUES\s*\(([^)]*)\)", body, re.I):
        out |= set(re.findall(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)", group))
    return out


def _check_inline_name(query: NamedQuery, name: str, used: list[str], assigned: set[str]) -> None:
    """A parameter of a query without declarations must name a variable it reads and does not assign."""
    what = "the SPARQL text" if query.path is None else f"query {query.name!r}"
    if not _VARNAME.fullmatch(name):
        raise ParameterError(f"parameter {name!r}: not a SPARQL variable name (letters, digits and _ only)")
    if name not in used:
        have = ", ".join("?" + v for v in used if v not in assigned) or "none"
        raise ParameterError(f"parameter {name!r}: {what} has no variable ?{name} to bind; its variables: {have}")
    if name in assigned:
        raise ParameterError(f"parameter {name!r}: {what} assigns ?{name} itself (BIND ... AS, SELECT (... AS), "
                             f"or VALUES), so it cannot be bound; rename the variable or drop the parameter")


_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"),
    (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
    (re.compile(r"^\d{4}$"), "gYear"),
)


def to_term(p: Param, value: str) -> ox.Term:
    """Convert one value to the RDF term its parameter's type calls for."""
    bad = lambda what: ParameterError(f"--param {p.name}={value!r}: {what}")  # noqa: E731
    if p.type == "iri":
        return _iri(value, p.prefix, bad)
    if p.type == "string":
        return ox.Literal(value)
    if p.type == "lang":
        if not _LANG.match(value):
            raise bad("not a language tag; use e.g. en or fr")
        return ox.Literal(value.lower())
    if p.type == "date":
        for pattern, dt in _DATES:
            if pattern.match(value):
                if not is_calendar_date(value):
                    raise bad("not a calendar date; use YYYY-MM-DD, YYYY-MM or YYYY with a real month and day")
                return ox.Literal(value, datatype=ox.NamedNode(XSD + dt))
        raise bad("not a date; use YYYY-MM-DD, YYYY-MM or YYYY")
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise bad("not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "decimal":
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
            raise bad("not a decimal number")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    if p.type == "boolean":
        if value.lower() not in ("true", "false"):
            raise bad("not a boolean; use true or false")
        return ox.Literal(value.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    raise bad(f"unknown type {p.type}")  # pragma: no cover - types are checked when parsed


def is_calendar_date(value: str) -> bool:
    """True for a real date written YYYY-MM-DD, YYYY-MM or YYYY (2007-02-30 and 2020-13 are not).

    >>> [is_calendar_date(v) for v in ("2007-02-28", "2007-02-30", "2020-13", "2020-12", "2005")]
    [True, False, False, True, True]
    """
    import datetime

    parts = value.split("-")
    try:
        if len(parts) == 3 and all(parts):
            datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(parts) == 2 and all(parts):
            datetime.date(int(parts[0]), int(parts[1]), 1)
        elif len(parts) == 1:
            datetime.date(int(parts[0]) or 1, 1, 1)
        else:
            return False
    except ValueError:
        return False
    return True


def _iri(value: str, prefix: str | None, bad) -> ox.NamedNode:
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    elif re.match(r"^[A-Za-z][\w.-]*:", v) and not re.match(r"^[a-z][a-z0-9+.-]*://", v) and not v.startswith("urn:"):
        full = expand(v)
        if full is None:
            raise bad(f"unknown prefix {v.split(':', 1)[0]!r}; run `kgraph prefixes` for the known ones")
        v = full
    elif prefix and re.fullmatch(r"[\w.-]+", v):
        v = PREFIXES[prefix] + v
    if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", v, re.I):
        raise bad("not an IRI; give <http://...>, a prefixed name like cedorg:renapess" +
                  (f", or a bare name like {_example_slug(prefix)}" if prefix else ""))
    return ox.NamedNode(v)


def _example_slug(prefix: str | None) -> str:
    return {"cedorg": "renapess", "cedpart": "eso-renapess", "cedkind": "knowledge"}.get(prefix or "", "name")


def _guess(name: str, value: str) -> ox.Term:
    """Type an undeclared parameter by its look: IRI, date, integer, else string."""
    p = Param(name, "string", None)
    if (value.startswith("<") and value.endswith(">")) or re.match(r"^[A-Za-z][\w.-]*:[^/\s]", value) and expand(value):
        return to_term(Param(name, "iri", None), value)
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        return to_term(Param(name, "iri", None), value)
    for pattern, _ in _DATES[:2]:
        if pattern.match(value):
            return to_term(Param(name, "date", None), value)
    if re.fullmatch(r"[+-]?\d+", value):
        return to_term(Param(name, "integer", None), value)
    return to_term(p, value)
