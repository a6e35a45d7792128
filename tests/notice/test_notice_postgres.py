"""Notice versions in a PostgreSQL store: migration 0007, publish, diff, concurrent publishers."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest
from notice_examples import ROOT

from skydd import notice
from skydd.datamap.loader import load_map
from skydd.store import open_store

pytestmark = pytest.mark.integration


def _servers() -> ModuleType:
    # The integration suite's fresh-database helper, reused as is (tests/ is not a package).
    path = ROOT / "tests" / "integration" / "conftest.py"
    spec = importlib.util.spec_from_file_location("notice_integration_servers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pg_store_url() -> Iterator[str]:
    s = _servers()
    yield from s._fresh_database("PostgreSQL", s.POSTGRES_ADMIN_URL, "psycopg", s._pg_create,
                                 s._pg_drop)  # fmt: skip


def test_publish_and_diff_on_postgresql(pg_store_url: str, tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "entrack" / "privacy.yaml", tmp_path / "privacy.yaml")
    path = tmp_path / "privacy.yaml"
    with open_store(pg_store_url) as store:
        first = notice.publish(load_map(path), store)
        path.write_text(
            path.read_text(encoding="utf-8").replace("lifetime: 23 days", "lifetime: 30 days"),
            encoding="utf-8",
        )
        loaded = load_map(path)
        # Two publishers at once: one version, never two with the same number.
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: notice.publish(loaded, store), range(2)))
        versions = notice.list_versions(store)
        assert [v.version_id for v in versions] == ["v1", "v2"]
        assert {r.sha256 for r in results} == {versions[-1].sha256}
        assert notice.current_notice_version(store) == (versions[-1].version_id,
                                                        versions[-1].sha256)  # fmt: skip
        assert notice.diff(store, "v1", "v2", lang="en") == [
            "The cookie SSESS<hash>: its lifetime changed from 23 days to 30 days."
        ]
        assert first.version_id == "v1"
