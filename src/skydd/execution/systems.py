"""One connector per declared system, opened on first use and closed together."""

from __future__ import annotations

from types import TracebackType

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from skydd.connectors.base import Connector
from skydd.connectors.registry import connect
from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError


class SearchError(SkyddError):
    """A query against a company database failed; says which system and table."""


class Systems:
    """The company's databases as the map declares them."""

    def __init__(self, loaded: LoadedMap) -> None:
        self.loaded = loaded
        self._connectors: dict[str, Connector] = {}
        self._engines: dict[str, Engine] = {}

    def connector(self, system: str) -> Connector:
        found = self._connectors.get(system)
        if found is None:
            url = self.loaded.urls.get(system)
            if url is None:
                raise SkyddError(f"system '{system}' has no URL in {self.loaded.path}")
            schema = self.loaded.datamap.systems[system].schema_name
            found = connect(url, schema=schema)
            self._connectors[system] = found
        return found

    def engine(self, system: str) -> Engine:
        engine = self._engines.get(system)
        if engine is None:
            engine = self._engines[system] = self.connector(system).engine
        return engine

    def open(self, system: str) -> Connection:
        """A connection to one system; one that does not answer fails naming the system."""
        try:
            connector = self.connector(system)
            return self.engine(system).connect()
        except SkyddError as exc:
            raise SearchError(f"system '{system}': {exc.message}", hint=exc.hint) from None
        except sa.exc.DBAPIError as exc:
            reason = connector.unreachable(exc)
            raise SearchError(f"system '{system}': {reason.message}", hint=reason.hint) from None

    def ping(self, systems: list[str]) -> None:
        """Fail early, naming the system, when a database does not answer."""
        for name in systems:
            try:
                self.connector(name).ping()
            except SkyddError as exc:
                raise SkyddError(f"system '{name}': {exc.message}", hint=exc.hint) from None

    def explain(self, exc: sa.exc.DBAPIError, system: str, table: str) -> SkyddError:
        """A database error during a search, told in terms of the data map."""
        text = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc) else ""
        lowered = text.lower()
        if "operator does not exist" in lowered:
            return SearchError(
                f"the search in {system}.{table} compares values of different types: {text}",
                hint="the columns of a reference should have the same type on both sides; "
                "check the references in the map",
            )
        if any(
            s in lowered
            for s in (
                "no such table",
                "does not exist",
                "doesn't exist",
                "no such column",
                "unknown column",
                "undefinedtable",
                "undefinedcolumn",
            )
        ):
            return SearchError(
                f"the map names {system}.{table}, but the database does not match it: {text}",
                hint="run `skydd init` against the database to see what it holds, "
                "and correct the table or column names in the map",
            )
        return SearchError(
            f"the search in {system}.{table} failed: {text}",
            hint="check that the database is reachable and the map matches it",
        )

    def close(self) -> None:
        self._engines.clear()
        for connector in self._connectors.values():
            connector.close()
        self._connectors.clear()

    def __enter__(self) -> Systems:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
