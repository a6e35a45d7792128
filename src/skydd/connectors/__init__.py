"""Connectors: how Skydd reaches the company's databases (SQLAlchemy Core).

`connect(url)` picks the connector by URL scheme through the registry, which
third-party connectors join through the `skydd.connectors` entry points.
"""

from skydd.connectors.base import ColumnInfo, Connector, ForeignKeyInfo, IndexInfo, TableInfo
from skydd.connectors.registry import connect, known_schemes, register

__all__ = [
    "ColumnInfo",
    "Connector",
    "ForeignKeyInfo",
    "IndexInfo",
    "TableInfo",
    "connect",
    "known_schemes",
    "register",
]
