"""Read `privacy.yaml` into a `DataMap`, keeping the line of every value.

Problems are collected, not raised one by one, so that a person fixing a map
sees all of them at once, each with file, line, YAML path, what was found and
what to do.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from skydd.datamap.models import NAME_PATTERN, DataMap
from skydd.errors import MapError, MapIssue

PathT = tuple[str | int, ...]
DEFAULT_MAP = "privacy.yaml"
MAP_ENV = "SKYDD_MAP"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def dotted(path: PathT) -> str:
    """('systems', 'crm', 'tables') -> 'systems.crm.tables'; list items as [n]."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class SourceMap:
    """Where each YAML path stands in the file."""

    file: str
    positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathT) -> tuple[int | None, int | None]:
        """The line and column of `path`, or of its nearest ancestor in the file."""
        probe = tuple(path)
        while probe:
            pos = self.positions.get(probe)
            if pos:
                return pos
            probe = probe[:-1]
        pos = self.positions.get(())
        return pos if pos else (None, None)

    def issue(self, path: PathT, message: str, hint: str | None = None) -> MapIssue:
        line, column = self.locate(path)
        return MapIssue(dotted(path), message, hint, self.file, line, column)


@dataclass(frozen=True)
class LoadedMap:
    """A validated data map with where it came from."""

    datamap: DataMap
    path: Path
    source: SourceMap
    urls: Mapping[str, str]
    sha256: str

    @property
    def directory(self) -> Path:
        return self.path.parent


def resolve_map_path(path: str | Path | None) -> Path:
    """`--map`, else `SKYDD_MAP`, else `./privacy.yaml`."""
    if path:
        return Path(path)
    return Path(os.environ.get(MAP_ENV) or DEFAULT_MAP)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_STR = "tag:yaml.org,2002:str"
_NO_TAGS = "Skydd reads plain YAML: remove the '!' tag"


_MAX_VALUES = 1_000_000
"""More keys and items than any real map has (the 10,000-column benchmark has 80,000)."""


class _TooManyValues(Exception):
    def __init__(self, path: PathT) -> None:
        self.path = path


class _Builder:
    """Turns a composed YAML node tree into Python values and a SourceMap."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.issues: list[MapIssue] = []
        self._constructor = yaml.SafeLoader("")
        self._open: set[int] = set()  # collections being built: an alias back to one loops
        self._values = 0
        self._merged: dict[int, set[int]] = {}  # mapping -> its own keys, once '<<:' is applied

    def build(self, node: yaml.Node, path: PathT) -> Any:
        """The value of `node`; the caller has recorded where `path` stands."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # most values: skip the constructor's dispatch
                return node.value
            try:
                return self._constructor.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                problem = getattr(exc, "problem", None) or str(exc)
                self.issues.append(
                    self.source.issue(path, f"cannot read this value: {problem}", _NO_TAGS)
                )
                return None
        if node.tag not in _PLAIN_TAGS:
            self.issues.append(
                self.source.issue(path, f"cannot read this value: tag {node.tag}", _NO_TAGS)
            )
            return None
        if id(node) in self._open:
            self.issues.append(
                self.source.issue(
                    path,
                    "an alias (*name) here refers to a value that contains it",
                    "aliases must not loop: write the value out instead",
                )
            )
            return None
        self._values += len(node.value)
        if self._values > _MAX_VALUES:  # a few aliases of aliases can expand to billions
            raise _TooManyValues(path)
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            positions = self.source.positions
            items: list[Any] = []
            for i, item in enumerate(node.value):
                mark = item.start_mark
                positions[path + (i,)] = (mark.line + 1, mark.column + 1)
                items.append(self.build(item, path + (i,)))
            return items
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathT) -> dict[Any, Any]:
        own = self._merged.get(id(node))
        try:
            if own is None and any(key_node.tag in _MERGE_TAGS for key_node, _ in node.value):
                # flatten_mapping rewrites the node, which an alias may bring back: keep which
                # keys were its own, for them to win over merged ones every time.
                own = {id(key_node) for key_node, _ in node.value}
                self._constructor.flatten_mapping(node)
                self._merged[id(node)] = own
        except (yaml.MarkedYAMLError, RecursionError) as exc:
            problem = getattr(exc, "problem", None) or "a mapping merges itself"
            mark = getattr(exc, "problem_mark", None) or node.start_mark
            self.issues.append(
                MapIssue(
                    dotted(path),
                    f"cannot merge: {problem}",
                    "'<<:' takes an alias of a mapping, like *defaults",
                    self.source.file,
                    mark.line + 1,
                    mark.column + 1,
                )
            )
            return {}
        result: dict[Any, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append(
                    MapIssue(
                        dotted(path),
                        "a key must be a plain value, not a list or mapping",
                        "write the key as a plain name, e.g. 'customer:'",
                        self.source.file,
                        line,
                        key_node.start_mark.column + 1,
                    )
                )
                continue
            # Every key of the map is a name: keep it as written ('1', 'yes'), not as the
            # int or bool YAML would make of it, which would also print as a list index.
            key: str = key_node.value
            if own is not None and id(key_node) not in own:  # merged by '<<:', before own keys
                mark = value_node.start_mark
                self.source.positions.setdefault(path + (key,), (mark.line + 1, mark.column + 1))
                result[key] = self.build(value_node, path + (key,))
                continue
            if key in seen:
                self.issues.append(
                    MapIssue(
                        dotted(path + (key,)),
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                        "remove one of them or merge their contents",
                        self.source.file,
                        line,
                        key_node.start_mark.column + 1,
                    )
                )
                continue
            seen[key] = line
            child = path + (key,)
            self.source.positions[child] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result


def _expand_env(value: str, path: PathT, source: SourceMap, issues: list[MapIssue]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = os.environ.get(name)
        if found is not None and found != "":
            return found
        if default is not None:
            return default
        issues.append(
            source.issue(
                path,
                f"environment variable {name} is not set",
                f"set it (export {name}=…) or give a default: ${{{name}:-value}}",
            )
        )
        return match.group(0)

    return _ENV_REF.sub(replace, value.replace("$${", "\0")).replace("\0", "${")


def _resolve_sqlite(url: str, base: Path) -> str:
    """Make a relative SQLite path relative to the map's folder, not the shell's."""
    prefix = next((p for p in ("sqlite+pysqlite:///", "sqlite:///") if url.startswith(p)), None)
    if prefix is None:
        return url
    rest = url[len(prefix) :]
    if not rest or rest.startswith("/") or rest.startswith(":memory:") or rest.startswith("file:"):
        return url
    return prefix + str((base / rest).resolve())


def _system_urls(raw: Any, source: SourceMap, base: Path, issues: list[MapIssue]) -> dict[str, str]:
    urls: dict[str, str] = {}
    systems = raw.get("systems") if isinstance(raw, dict) else None
    if not isinstance(systems, dict):
        return urls
    for name, system in systems.items():
        if isinstance(system, dict) and isinstance(system.get("url"), str):
            path: PathT = ("systems", name, "url")
            url = _expand_env(system["url"], path, source, issues)
            urls[str(name)] = _resolve_sqlite(url, base)
    return urls


def _model_at(path: PathT) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `path`, for 'did you mean' hints."""
    current: Any = DataMap
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                info = next((f for f in current.model_fields.values() if f.alias == part), None)
            if info is None:
                return None
            current = info.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) in (Union, UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        tp = models[0] if models else args[0]
    return tp


def _pydantic_issues(exc: ValidationError, raw: Any, source: SourceMap) -> Iterator[MapIssue]:
    seen: set[tuple[PathT, str]] = set()
    for err in exc.errors(include_url=False):
        loc: PathT = tuple(err["loc"])
        while loc and loc not in source.positions and not _exists(raw, loc):
            loc = loc[:-1]  # drop pydantic's union branch names
        kind = err["type"]
        # One problem per place: a union (legal_basis: contract | 'TODO') fails once per branch.
        key = (loc, str(err["loc"][-1]) if kind == "missing" else "")
        if key in seen:
            continue
        seen.add(key)
        yield _describe(err, loc, source)


def _exists(raw: Any, loc: PathT) -> bool:
    cur = raw
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            cur = cur[part]
        else:
            return False
    return True


def _describe(err: Any, loc: PathT, source: SourceMap) -> MapIssue:
    kind, found = err["type"], err.get("input")
    field_name = str(err["loc"][-1]) if err["loc"] else ""
    if kind == "missing":
        return source.issue(
            loc,
            f"required field '{field_name}' is missing",
            f"add '{field_name}:' under {dotted(loc) or 'the top level'}",
        )
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(field_name, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        if allowed:
            hint = (hint + " " if hint else "") + "allowed here: " + ", ".join(allowed)
        return source.issue(loc, f"unknown field '{field_name}'", hint)
    if kind == "string_pattern_mismatch" and str(err.get("ctx", {}).get("pattern")) == NAME_PATTERN:
        return source.issue(
            loc,
            f"{found!r} is not a valid name",
            "use letters, digits, '_' and '-', starting with a letter or '_'",
        )
    if kind == "string_pattern_mismatch":
        return source.issue(loc, f"found {found!r}", "write a period like '6 months' or '7 years'")
    shown = _short(found)
    expected = _EXPECTED.get(kind)
    if expected:
        return source.issue(loc, f"expected {expected}, found {shown}", _field_help(loc))
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(found), options, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        return source.issue(loc, f"{err['msg']}, found {shown}", hint)
    message = err["msg"].removeprefix("Value error, ")
    return source.issue(loc, f"{message}, found {shown}", _field_help(loc))


_EXPECTED = {
    "model_type": "a mapping (indented 'key: value' lines or {key: value})",
    "model_attributes_type": "a mapping (indented 'key: value' lines or {key: value})",
    "dict_type": "a mapping (indented 'key: value' lines or {key: value})",
    "list_type": "a list ([a, b] or one '- item' per line)",
    "string_type": "a text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def _field_help(loc: PathT) -> str | None:
    """The field's own description, as the hint for a value of the wrong kind."""
    model = _model_at(loc[:-1]) if loc else None
    info = model.model_fields.get(str(loc[-1])) if model else None
    return info.description if info else None


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _yaml_issue(exc: yaml.YAMLError, text: str, file: str) -> MapIssue:
    """Place a YAML syntax error on the line a person has to change."""
    if isinstance(exc, yaml.reader.ReaderError):
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        return MapIssue(
            "",
            f"broken YAML: character {exc.character:#06x} is not allowed ({exc.reason})",
            "remove it or write it as an escape in a quoted value",
            file,
            line,
        )
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return MapIssue("", f"broken YAML: {exc}", None, file)
    mark, start = exc.problem_mark, exc.context_mark
    what = exc.problem or "broken YAML"
    context = exc.context or ""
    hint = "check indentation, colons and quotes on this line and the one above"
    if (
        start is not None
        and start.line != mark.line
        and ("quoted scalar" in context or "flow" in context)
    ):
        # An unclosed quote or bracket is noticed lines later, often at the end of the file;
        # the fix belongs where it was opened.
        context += f" that starts here; the parser gave up on line {mark.line + 1}"
        hint = "close the quote, bracket or brace opened on this line"
        mark = start
    lines = text.splitlines()
    if mark.line < len(lines) and "\t" in lines[mark.line]:
        hint = "YAML indents with spaces only: replace the tab characters on this line"
    context = f" ({context})" if context else ""
    return MapIssue("", f"broken YAML: {what}{context}", hint, file, mark.line + 1, mark.column + 1)


def read_yaml(path: Path) -> tuple[Any, SourceMap, bytes]:
    """Parse the file; raise MapError for unreadable files and broken YAML."""
    source = SourceMap(str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MapError(
            [
                MapIssue(
                    "",
                    "file not found",
                    "create one with `skydd init` or `skydd demo`,"
                    " or point --map / SKYDD_MAP at it",
                    str(path),
                )
            ]
        ) from None
    except OSError as exc:
        raise MapError(
            [MapIssue("", f"cannot read the file: {exc.strerror}", None, str(path))]
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise MapError(
            [
                MapIssue(
                    "",
                    f"the file is not UTF-8 (byte {exc.start})",
                    "save it as UTF-8",
                    str(path),
                    line,
                    column,
                )
            ]
        ) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise MapError([_yaml_issue(exc, text, str(path))]) from None
    if node is None:
        raise MapError(
            [
                MapIssue(
                    "", "the file is empty", "start with a 'controller:' section", str(path), 1, 1
                )
            ]
        )
    builder = _Builder(source)
    source.positions[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
    try:
        raw = builder.build(node, ())
    except _TooManyValues as exc:
        message = f"aliases (*name) make this file hold over {_MAX_VALUES:,} values"
        raise MapError([source.issue(exc.path, message, "write the values out")]) from None
    if builder.issues:
        raise MapError(builder.issues)
    if not isinstance(raw, dict):
        raise MapError(
            [
                source.issue(
                    (),
                    f"the top level must be a mapping, found {_short(raw)}",
                    "start with 'controller:', 'purposes:', 'systems:' …",
                )
            ]
        )
    return raw, source, data


def load_map(path: str | Path | None = None, *, check_references: bool = True) -> LoadedMap:
    """Load, validate and cross-check a data map; raise MapError listing every problem."""
    file = resolve_map_path(path)
    with _gc_paused():
        return _load(file, check_references)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A large map is ~10^5 small objects without cycles; the cyclic collector would scan
    them again and again while they are made, doubling the time `skydd check` takes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(file: Path, check_references: bool) -> LoadedMap:
    from skydd.datamap.validate import cross_check

    raw, source, data = read_yaml(file)
    issues: list[MapIssue] = []
    urls = _system_urls(raw, source, file.resolve().parent, issues)
    try:
        datamap = DataMap.model_validate(raw)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, raw, source))
        raise MapError(issues) from None
    if check_references:
        issues.extend(cross_check(datamap, source))
    if issues:
        raise MapError(issues)
    return LoadedMap(datamap, file, source, urls, hashlib.sha256(data).hexdigest())
