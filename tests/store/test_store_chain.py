"""verify()'s analysis on its own, over every position of each tampering.

These build rows in memory (no database) so that every seq and every pair
can be tried: the SQL tests show the real thing, these show it is not luck.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from skydd.store.chain import AuditHead, Hasher, StoredRow, Tip, canonical_json
from skydd.store.schema import GENESIS_HASH
from skydd.store.tamper import analyse

N = 8
HASHER = Hasher()


def make_chain(n: int = N) -> list[StoredRow]:
    rows: list[StoredRow] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        rows.append(forge(seq, prev, f"r:{seq}"))
        prev = rows[-1].hash
    return rows


def forge(seq: int, prev: str, target: str) -> StoredRow:
    fields = {
        "event_id": f"id-{target}",
        "at": f"2024-01-01T00:00:{seq:02d}.000000+00:00",
        "kind": "staff-action",
        "actor": "anna",
    }
    payload = {"actor": "anna", "action": "approve", "target": target}
    digest = HASHER.row_hash(prev, seq=seq, payload=payload, **fields)
    return StoredRow(
        seq=seq,
        payload=canonical_json(payload),
        prev_hash=prev,
        hash=digest,
        hash_alg="sha256",
        **fields,
    )


def check(rows: list[StoredRow], original: list[StoredRow]) -> list[tuple[str, int | None]]:
    anchor = Tip(AuditHead(original[-1].seq, original[-1].hash), "the anchor", warn_newer=True)
    rows = sorted(rows, key=lambda r: (r.seq, r.event_id))
    return [(p.kind, p.seq) for p in analyse(rows, HASHER, [anchor])]


def renumber(rows: list[StoredRow]) -> list[StoredRow]:
    return [dataclasses.replace(r, seq=i) for i, r in enumerate(rows, start=1)]


def test_untouched() -> None:
    chain = make_chain()
    assert check(chain, chain) == []


@pytest.mark.parametrize("k", range(1, N + 1))
def test_changed_anywhere(k: int) -> None:
    chain = make_chain()
    rows = [dataclasses.replace(r, actor="mallory") if r.seq == k else r for r in chain]
    assert check(rows, chain) == [("changed", k)]


@pytest.mark.parametrize("k", range(1, N))
@pytest.mark.parametrize("renumbered", [False, True])
def test_removed_anywhere_but_the_end(k: int, renumbered: bool) -> None:
    chain = make_chain()
    rows = [r for r in chain if r.seq != k]
    assert check(renumber(rows) if renumbered else rows, chain) == [("removed", k)]


@pytest.mark.parametrize("k", range(1, N + 2))
def test_inserted_anywhere(k: int) -> None:
    chain = make_chain()
    prev = chain[k - 2].hash if k > 1 else GENESIS_HASH
    rows = renumber([*chain[: k - 1], forge(k, prev, "forged"), *chain[k - 1 :]])
    assert check(rows, chain) == [("inserted", k)]


@pytest.mark.parametrize(("j", "k"), list(itertools.combinations(range(1, N + 1), 2)))
def test_reordered_any_pair(j: int, k: int) -> None:
    chain = make_chain()
    swap = {j: k, k: j}
    rows = [dataclasses.replace(r, seq=swap.get(r.seq, r.seq)) for r in chain]
    assert check(rows, chain) == [("reordered", j), ("reordered", k)]


@pytest.mark.parametrize("keep", range(0, N))
def test_truncated_at_any_length(keep: int) -> None:
    chain = make_chain()
    assert check(chain[:keep], chain) == [("truncated", keep + 1)]
