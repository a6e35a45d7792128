"""Which connector serves which URL scheme.

Built-in connectors are registered exactly as a third party's are: as entry
points (`module:attribute`) in the `skydd.connectors` group, named by URL
scheme. The built-ins are listed in DEFAULT_CONNECTORS instead of package
metadata, so they work from a source checkout too. Nothing is imported until
a URL of that scheme is used, so a missing driver only matters to those who
need it. A plugin may replace a built-in by registering the same scheme.

A plugin declares, in its pyproject.toml:

    [project.entry-points."skydd.connectors"]
    duckdb = "skydd_duckdb:DuckDBConnector"

The target is a `Connector` subclass, or any callable `(url, *, schema=None)`
that returns a Connector.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import cast

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError

from skydd.connectors.base import Connector
from skydd.errors import SkyddError

ENTRY_POINT_GROUP = "skydd.connectors"

ConnectorFactory = Callable[..., Connector]

DEFAULT_CONNECTORS: dict[str, str] = {
    "sqlite": "skydd.connectors.sqlite:SQLiteConnector",
    "postgresql": "skydd.connectors.postgres:PostgresConnector",
    "postgres": "skydd.connectors.postgres:PostgresConnector",
    "mysql": "skydd.connectors.mysql:MySQLConnector",
    "mariadb": "skydd.connectors.mysql:MySQLConnector",
}

_extra: dict[str, EntryPoint] = {}


def _entry(scheme: str, target: str) -> EntryPoint:
    return EntryPoint(name=scheme, value=target, group=ENTRY_POINT_GROUP)


@cache
def _installed() -> dict[str, EntryPoint]:
    """Built-ins, then installed plugins (which may override a built-in)."""
    found = {scheme: _entry(scheme, target) for scheme, target in DEFAULT_CONNECTORS.items()}
    found.update({ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)})
    return found


def register(scheme: str, target: str) -> None:
    """Register a connector at run time, e.g. in tests: `register("duck", "pkg.mod:Cls")`."""
    _extra[scheme] = _entry(scheme, target)


def unregister(scheme: str) -> None:
    _extra.pop(scheme, None)


def _registry() -> dict[str, EntryPoint]:
    return {**_installed(), **_extra}


def known_schemes() -> list[str]:
    """The URL schemes some connector serves, sorted."""
    return sorted(_registry())


def scheme_of(url: str) -> str:
    """'postgresql+psycopg://…' -> 'postgresql'."""
    try:
        return sa.make_url(url).drivername.split("+", 1)[0].lower()
    except ArgumentError:
        raise SkyddError(
            f"'{_no_password(url)}' is not a database URL",
            hint="write it like sqlite:///shop.db, postgresql://user@host/db or "
            "mysql://user@host/db",
        ) from None


def _no_password(url: str) -> str:
    """The URL as people may see it: whatever could be a password is hidden."""
    if "@" not in url:
        return url
    left, host = url.rsplit("@", 1)
    scheme, sep, userinfo = left.rpartition("://")
    user = userinfo.split(":", 1)[0]
    return f"{scheme}{sep}{user}{':***' if ':' in userinfo else ''}@{host}"


def connector_factory(scheme: str) -> ConnectorFactory:
    """The class (or factory) registered for `scheme`; SkyddError when none is."""
    registry = _registry()
    entry = registry.get(scheme)
    if entry is None:
        close = difflib.get_close_matches(scheme, list(registry), n=1)
        hint = f"did you mean '{close[0]}://'? " if close else ""
        raise SkyddError(
            f"no connector for URLs starting '{scheme}://'",
            hint=hint + "known: " + ", ".join(f"{s}://" for s in sorted(registry)),
        )
    factory = entry.load()
    if not callable(factory):
        raise SkyddError(
            f"the connector registered for '{scheme}' ({entry.value}) is not callable",
            hint="an entry point in the 'skydd.connectors' group must name a Connector class",
        )
    return cast(ConnectorFactory, factory)


def connect(url: str, *, schema: str | None = None) -> Connector:
    """The connector for `url`, not yet connected: call `ping()` to find out if it answers."""
    return connector_factory(scheme_of(url))(url, schema=schema)
