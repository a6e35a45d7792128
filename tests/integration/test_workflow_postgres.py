"""The request workflow on a PostgreSQL store: the queue, a lifecycle, staff, `requests list`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from threading import Barrier, Thread

import pytest
from typer.testing import CliRunner

from skydd.cli import app
from skydd.datamap.loader import load_map
from skydd.errors import SkyddError
from skydd.store import open_store
from skydd.workflow import (
    State,
    add_staff,
    authenticate,
    complete,
    events,
    get,
    list_requests,
    start,
    submit,
    verify,
)

pytestmark = pytest.mark.integration

SMALL_MAP = Path(__file__).parents[1] / "datamap" / "maps" / "small.yaml"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_KEY", "SKYDD_IDENTITY_KEY", "SKYDD_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def test_the_queue_and_a_lifecycle_on_postgresql(pg_url: str) -> None:
    loaded = load_map(SMALL_MAP)
    with open_store(pg_url) as store:
        ids = [
            submit(store, loaded, kind="access" if i % 2 else "erase",
                   identities={"email": f"person{i}@example.se"}, channel="web", lang="sv",
                   received_at=at(dt.date(2025, 3, 1 + i)), actor="web").id
            for i in range(6)
        ]  # fmt: skip
        again = submit(store, loaded, kind="access", identities={"email": "person1@example.se"},
                       channel="email", lang="en", received_at=at(dt.date(2025, 3, 20)),
                       actor="web")  # fmt: skip
        assert again.repeat_of is None  # the small map sets no repeat policy
        verify(store, ids[0], actor="dpo", method="account")
        start(store, ids[0], actor="dpo")
        done = complete(store, ids[0], actor="dpo", result_ref="R-1")
        assert done.state == State.done and get(store, ids[0], reveal=True).identities is None
        assert [e.action for e in events(store, ids[0])] == [
            "submit",
            "verify",
            "start",
            "complete",
        ]
        queue = list_requests(store, due_within=7, today=dt.date(2025, 3, 31))
        # Received 2-6 March: due 2, 3, 4 and (5 April a Saturday, 6 a Sunday) 7 April 2025;
        # the one from 1 March is done, the one from 20 March due 22 April.
        assert [r.id for r in queue] == ids[1:6]
        assert [r.id for r in list_requests(store, kind="erase", state="received")] == [
            ids[2], ids[4]
        ]  # fmt: skip
        staff, token = add_staff(store, "anna", "auditor")
        assert authenticate(store, token) == staff


def test_two_staff_acting_at_once_cannot_both_win(pg_url: str) -> None:
    loaded = load_map(SMALL_MAP)
    with open_store(pg_url) as store:
        rid = submit(store, loaded, kind="access", identities={"email": "a@example.se"},
                     channel="web", lang="sv", actor="web").id  # fmt: skip
        barrier, outcomes = Barrier(4), []

        def act(n: int) -> None:
            barrier.wait()
            try:
                verify(store, rid, actor=f"staff{n}", method="account")
                outcomes.append("ok")
            except SkyddError:
                outcomes.append("refused")

        threads = [Thread(target=act, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
        assert [e.action for e in events(store, rid)] == ["submit", "verify"]


def test_requests_list_on_postgresql(pg_url: str) -> None:
    loaded = load_map(SMALL_MAP)
    with open_store(pg_url) as store:
        rid = submit(store, loaded, kind="access", identities={"email": "a@example.se"},
                     channel="web", lang="sv", actor="web").id  # fmt: skip
    result = CliRunner().invoke(
        app, ["requests", "list", "--due-within", "40d", "--store", pg_url, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)["requests"]] == [rid]
