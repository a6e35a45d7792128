"""Same seed, same data: byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from demo_helpers import AS_OF, dump, require_example

from skydd.demo import build_demo
from skydd.demo.facts import FACTS_FILE, DemoFacts


def _digests(directory: Path) -> dict[str, str]:
    return {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(directory.glob("*.db"))
    }


def test_same_seed_same_databases(tmp_path: Path) -> None:
    require_example("astrak")
    one = build_demo("astrak", tmp_path / "one", people=120, seed=3, as_of=AS_OF)
    two = build_demo("astrak", tmp_path / "two", people=120, seed=3, as_of=AS_OF)
    assert one.rows == two.rows
    assert list(dump(one.directory)) == list(dump(two.directory))
    assert _digests(one.directory) == _digests(two.directory)
    facts = [DemoFacts.read(r.directory / FACTS_FILE) for r in (one, two)]
    assert facts[0] == facts[1]


def test_another_seed_other_data(tmp_path: Path) -> None:
    require_example("acte")
    one = build_demo("acte", tmp_path / "one", people=60, seed=1, as_of=AS_OF)
    two = build_demo("acte", tmp_path / "two", people=60, seed=2, as_of=AS_OF)
    assert one.facts.showcase.email != two.facts.showcase.email
    assert list(dump(one.directory)) != list(dump(two.directory))
