"""Opening the store: where it lives, which URLs it takes, and errors people can act on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from skydd.errors import MissingExtraError, SkyddError
from skydd.store import StaffAction, open_store
from skydd.store.anchor import anchor_path_for
from skydd.store.db import MIGRATIONS, normalise_url
from skydd.store.schema import metadata


def test_default_store_is_a_sqlite_file_under_dot_skydd(tmp_path: Path) -> None:
    with open_store(default_dir=tmp_path) as store:
        assert store.url.get_backend_name() == "sqlite"
        assert store.url.database == str(tmp_path / ".skydd" / "store.db")
        assert store.audit.anchor_path == tmp_path / ".skydd" / "store.db.head"
    assert (tmp_path / ".skydd" / "store.db").is_file()


def test_default_store_is_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.url.database == str(tmp_path / ".skydd" / "store.db")


def test_environment_url_is_used_and_the_argument_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKYDD_DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    with open_store(default_dir=tmp_path) as store:
        assert store.url.database == str(tmp_path / "from-env.db")
    with open_store(f"sqlite:///{tmp_path / 'given.db'}") as store:
        assert store.url.database == str(tmp_path / "given.db")


def test_reopening_keeps_the_log_and_initialises_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.audit.append(StaffAction(actor="a", action="b", target="c"))
    with open_store(url) as store:
        assert [r.kind for r in store.audit.records()] == ["store-initialised", "staff-action"]
        assert store.audit.verify().ok


def test_relative_sqlite_paths_are_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as store:
        assert store.url.database == str(tmp_path / "rel.db")
        assert store.audit.anchor_path == tmp_path / "rel.db.head"


def test_in_memory_store_works_without_an_anchor() -> None:
    with open_store("sqlite://") as store:
        store.audit.append(StaffAction(actor="a", action="b", target="c"))
        assert store.audit.anchor_path is None
        result = store.audit.verify()
        assert result.ok and result.problems == [] and result.checked == 2


def test_migrated_schema_matches_the_table_definitions(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": "skydd_alembic_version"}
        )
        assert compare_metadata(context, metadata) == []


def test_postgres_urls_get_the_psycopg_driver() -> None:
    for given in ("postgresql://u@db.example/skydd", "postgres://u@db.example/skydd"):
        assert normalise_url(given).drivername == "postgresql+psycopg"
    kept = normalise_url("postgresql+psycopg://u@db.example/skydd")
    assert kept.drivername == "postgresql+psycopg"


def test_passwords_are_masked_when_printed() -> None:
    url = normalise_url("postgresql://skydd:hunter22@db.example:5432/skydd")
    assert "hunter22" not in str(url)
    assert "hunter22" not in repr(url)


def test_other_databases_are_refused_clearly() -> None:
    with pytest.raises(SkyddError, match="runs on SQLite or PostgreSQL"):
        normalise_url("mysql+pymysql://root@localhost/skydd")
    with pytest.raises(SkyddError, match="psycopg 3"):
        normalise_url("postgresql+psycopg2://u@localhost/skydd")
    with pytest.raises(SkyddError, match="not a database URL") as raised:
        normalise_url("::hunter22::")
    assert "hunter22" not in raised.value.render()


def test_missing_sqlite_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SkyddError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nope' / 'store.db'}")


def test_unreachable_postgres_names_the_host_not_the_password() -> None:
    # Port 1 on localhost: nothing listens, the connection is refused at once.
    with pytest.raises(SkyddError) as raised:
        open_store("postgresql://skydd:hunter22@127.0.0.1:1/skydd")
    text = raised.value.render()
    assert "127.0.0.1:1/skydd" in text
    assert "hunter22" not in text
    assert "PostgreSQL is running" in text


def test_missing_psycopg_says_how_to_install_it() -> None:
    # A child interpreter where importing psycopg fails, as when it is not installed.
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from skydd.errors import MissingExtraError\n"
        "from skydd.store import open_store\n"
        "try:\n"
        "    open_store('postgresql://u@127.0.0.1/skydd')\n"
        "except MissingExtraError as exc:\n"
        "    print(exc.render())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == MissingExtraError("psycopg", "postgres", "A PostgreSQL store").render() + "\n"
    assert 'pip install "skydd[postgres]"' in out


def test_anchor_location_rules(tmp_path: Path) -> None:
    sqlite = normalise_url(f"sqlite:///{tmp_path / 'a.db'}")
    assert anchor_path_for(sqlite, {}) == tmp_path / "a.db.head"
    chosen = {"SKYDD_AUDIT_ANCHOR": str(tmp_path / "x.head")}
    assert anchor_path_for(sqlite, chosen) == tmp_path / "x.head"

    server = normalise_url("postgresql://skydd:one@db.example/skydd")
    other_password = normalise_url("postgresql://skydd:two@db.example/skydd")
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    path = anchor_path_for(server, state)
    assert path is not None and path.parent == tmp_path / "state" / "skydd"
    assert path.name.startswith("anchor-") and path.name.endswith(".head")
    assert anchor_path_for(other_password, state) == path
    assert anchor_path_for(server, {"HOME": "/h"}) == Path.home() / ".local/state/skydd" / path.name


def downgrade_to_nothing(engine: Engine) -> None:
    """Run every migration's downgrade, as Alembic would from the command line."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        downgrade_to_nothing(store.engine)
        assert set(inspect(store.engine).get_table_names()) == {"skydd_alembic_version"}
    (tmp_path / "store.db.head").unlink()
    with open_store(url) as store:
        assert store.audit.verify().ok
