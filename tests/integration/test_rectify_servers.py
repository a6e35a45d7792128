"""Rectification on PostgreSQL (systems in schemas) and MariaDB: the same email in two systems."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from skydd.store import open_store

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location(
    "rectify_company_for_servers", Path(__file__).parent.parent / "requests" / "rectify_company.py"
)
assert _spec and _spec.loader
company = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(company)


def test_rectify_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    urls = {"crm": pg_url, "erp": pg_url}
    path = company.build(tmp_path, urls, schemas=True)
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        company.scenario(path, urls, store, schemas=True)


def test_rectify_on_mariadb(mysql_url: str, tmp_path: Path) -> None:
    urls = {"crm": mysql_url, "erp": mysql_url}
    path = company.build(tmp_path, urls)
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        company.scenario(path, urls, store)
