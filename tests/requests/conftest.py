"""A small company on SQLite: two systems, shared companies, a manager reference."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

MAPS = Path(__file__).parent.parent / "datamap" / "maps"

CRM = """
create table companies (id integer primary key, name text);
create table contacts (
  id integer primary key, email text, phone text, company_id integer references companies(id),
  manager_id integer references contacts(id), last_contact date);
create index contacts_email on contacts(email);
create index contacts_phone on contacts(phone);
insert into companies values (1, 'Exempel Verkstad AB'), (2, 'Annat AB');
insert into contacts values
  (1, 'anna.svensson@example.se', '070-123 45 67', 1, null, '2025-05-01'),
  (2, 'bo.berg@example.se', '+46 70 765 43 21', 1, 1, '2024-01-10'),
  (3, 'Cecilia.Dahl@Example.se', '0046709998877', 2, null, '2019-03-03'),
  (4, 'dan@example.se', '+46709998877', 2, null, '2020-01-01');
"""
ERP = """
create table invoices (id integer primary key, contact_id integer, amount numeric,
  fiscal_year_end date);
insert into invoices values (10, 1, 1200, '2024-12-31'), (11, 1, 900, '2025-12-31'),
  (12, 2, 50, '2025-12-31'), (13, 3, 75, '2019-12-31');
"""


@pytest.fixture
def small_map(tmp_path: Path) -> Path:
    """The small test map with its two SQLite databases filled."""
    target = tmp_path / "privacy.yaml"
    shutil.copy(MAPS / "small.yaml", target)
    for name, script in (("crm", CRM), ("erp", ERP)):
        with sqlite3.connect(tmp_path / f"{name}.db") as conn:
            conn.executescript(script)
        conn.close()
    return target
