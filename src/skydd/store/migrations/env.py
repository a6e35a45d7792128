"""Alembic environment for Skydd's store.

``skydd.store.db.migrate`` passes an open connection (already inside a
transaction that holds the migration lock) in ``config.attributes``.  For
writing new migrations by hand, ``alembic -x url=sqlite:///scratch.db ...``
with ``script_location`` pointing here works too.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from skydd.store.schema import metadata

# Not "alembic_version": a PostgreSQL store may share a database with an
# application that has its own Alembic history.
VERSION_TABLE = "skydd_alembic_version"


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
        **kwargs,
    )


def run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no database: open the store with skydd.store.open_store")
    if context.is_offline_mode():
        _configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run()
