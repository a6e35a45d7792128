"""The demo folder: never touch a user's files; --force replaces only the demo's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from demo_helpers import AS_OF, require_example
from sqlalchemy import make_url

from skydd.datamap.loader import read_yaml
from skydd.demo import COMPANIES, build_demo
from skydd.demo.build import rewrite_map, server_targets
from skydd.errors import SkyddError


def test_unknown_company_names_the_five() -> None:
    with pytest.raises(SkyddError) as caught:
        build_demo("acme", Path("never-written"))
    assert "acme" in caught.value.message
    assert caught.value.hint and all(c in caught.value.hint for c in COMPANIES)
    assert not Path("never-written").exists()


def test_a_folder_with_other_files_needs_force(tmp_path: Path) -> None:
    require_example("acte")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SkyddError, match="not empty"):
        build_demo("acte", tmp_path, people=30, as_of=AS_OF)
    build_demo("acte", tmp_path, people=30, as_of=AS_OF, force=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_force_never_replaces_a_file_the_demo_did_not_write(tmp_path: Path) -> None:
    require_example("acte")
    (tmp_path / "erp.db").write_bytes(b"someone's real database")
    with pytest.raises(SkyddError, match="did not write") as caught:
        build_demo("acte", tmp_path, people=30, as_of=AS_OF, force=True)
    assert "erp.db" in caught.value.message
    assert (tmp_path / "erp.db").read_bytes() == b"someone's real database"


def test_force_rebuilds_a_demo(tmp_path: Path) -> None:
    require_example("acte")
    first = build_demo("acte", tmp_path, people=30, seed=1, as_of=AS_OF)
    with pytest.raises(SkyddError, match="not empty"):
        build_demo("acte", tmp_path, people=30, seed=2, as_of=AS_OF)
    second = build_demo("acte", tmp_path, people=30, seed=2, as_of=AS_OF, force=True)
    assert second.facts.showcase.email != first.facts.showcase.email
    assert json.loads((tmp_path / "demo-facts.json").read_text())["seed"] == 2


def test_progress_reports_every_table(tmp_path: Path) -> None:
    require_example("acte")
    seen: dict[str, tuple[int, int]] = {}
    result = build_demo(
        "acte",
        tmp_path,
        people=30,
        as_of=AS_OF,
        progress=lambda key, done, total: seen.__setitem__(key, (done, total)),
    )
    assert set(seen) == set(result.rows)
    assert all(done == total for done, total in seen.values())


def test_server_maps_point_every_system_at_a_schema() -> None:
    require_example("axsensor")
    from skydd.demo import example_map

    raw, source, _ = read_yaml(example_map("axsensor"))
    text = example_map("axsensor").read_text(encoding="utf-8")
    systems = list(raw["systems"])
    pg = make_url("postgresql+psycopg://demo:secret@db.example/skydd")
    my = make_url("mysql+pymysql://root@db.example/skydd")
    assert server_targets(pg, systems) == {s: s for s in systems}
    assert server_targets(my, systems) == {s: f"skydd_{s}" for s in systems}
    rewritten = rewrite_map(
        text, source.positions, "postgresql+psycopg://demo@db/skydd", server_targets(pg, systems)
    )
    assert "# AX-1" in rewritten  # the promise comments survive
    path_raw = __import__("yaml").safe_load(rewritten)
    for name in systems:
        assert path_raw["systems"][name]["url"] == "postgresql+psycopg://demo@db/skydd"
        assert path_raw["systems"][name]["schema"] == name
