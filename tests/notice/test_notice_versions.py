"""Publishing notice versions: hashes, idempotence, and a diff in plain words from the facts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from notice_examples import ROOT
from sqlalchemy import inspect

from skydd import notice
from skydd.datamap.loader import load_map
from skydd.errors import SkyddError
from skydd.store import open_store
from skydd.store.db import Store


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "examples" / "axsensor" / "privacy.yaml", tmp_path / "privacy.yaml")
    return tmp_path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        yield st


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "privacy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_no_version_before_the_first_publication(store: Store) -> None:
    assert notice.current_notice_version(store) is None
    assert notice.list_versions(store) == []
    assert "notice_versions" in inspect(store.engine).get_table_names()


def test_publish_stores_the_hash_and_is_idempotent(folder: Path, store: Store) -> None:
    loaded = load_map(folder / "privacy.yaml")
    first = notice.publish(loaded, store)
    assert first.created and first.version_id == "v1"
    assert first.languages == ("sv", "en", "da") and first.map_sha256 == loaded.sha256
    assert len(first.sha256) == 64
    assert notice.current_notice_version(store) == ("v1", first.sha256)
    again = notice.publish(load_map(folder / "privacy.yaml"), store)
    assert not again.created and again.version_id == "v1"
    assert len(notice.list_versions(store)) == 1
    # The audit log records the publication (ids and hashes only).
    kinds = [r.kind for r in store.audit.records()]
    assert kinds.count("notice-published") == 1 and store.audit.verify().ok


def test_a_changed_map_makes_a_new_version_and_the_diff_names_each_change(
    folder: Path, store: Store
) -> None:
    notice.publish(load_map(folder / "privacy.yaml"), store)
    # A retention period changed, a recipient moved to a new country with a new safeguard,
    # a cookie's lifetime changed, a purpose added.
    _edit(folder, "      anchor: requested_at\n      period: 6 months",
          "      anchor: requested_at\n      period: 3 months")  # fmt: skip
    _edit(folder, "    lifetime: 1 year\n", "    lifetime: 6 months\n")
    _edit(
        folder,
        "    name: Avtalad AXsensor-distributör i Storbritannien\n    kind: controller\n"
        "    country: GB\n",
        "    name: Avtalad AXsensor-distributör i Storbritannien\n    kind: controller\n"
        "    country: CA\n",
    )
    _edit(
        folder,
        "  authority_requests:\n",
        "  webinars:\n    labels: {sv: Webbinarier, en: Webinars, da: Webinarer}\n"
        "    legal_basis: consent\n  authority_requests:\n",
    )
    second = notice.publish(load_map(folder / "privacy.yaml"), store)
    assert second.created and second.version_id == "v2"
    assert notice.current_notice_version(store) == ("v2", second.sha256)
    assert second.sha256 != notice.get_version(store, "v1").sha256
    sv = notice.diff(store, "v1", "v2", lang="sv")
    assert "Nytt ändamål: Webbinarier." in sv
    assert (
        "Åtkomstlogg: lagringstiden har ändrats från sex månader, raderas sedan till tre "
        "månader, raderas sedan." in sv
    )
    assert "Cookien cookieconsent_status: livslängden har ändrats från 1 år till 6 månader." in sv
    assert (
        "Avtalad AXsensor-distributör i Storbritannien: behandlar nu uppgifterna i Kanada "
        "i stället för Storbritannien." in sv
    )
    en = notice.diff(store, "1", "2", lang="en")
    assert "New purpose: Webinars." in en
    assert notice.diff(store, "v2", "v2") == ["Nothing in the content has changed."]


def test_a_new_recipient_abroad_is_named_with_its_country_and_safeguard(
    folder: Path, store: Store
) -> None:
    notice.publish(load_map(folder / "privacy.yaml"), store)
    _edit(
        folder,
        "  skatteverket:\n",
        "  hubspot:\n    name: HubSpot Inc.\n    kind: processor\n    country: US\n"
        "    transfer: {mechanism: scc, scc_module: 2}\n  skatteverket:\n",
    )
    notice.publish(load_map(folder / "privacy.yaml"), store)
    assert notice.diff(store, "v1", "v2", lang="da") == [
        "Ny modtager: HubSpot Inc. i USA. Overførslen sker på grundlag af "
        "Europa-Kommissionens standardkontraktbestemmelser (modul 2)."
    ]


def test_an_unknown_version_is_a_clear_error(store: Store) -> None:
    with pytest.raises(SkyddError, match="no published notice version 'v9'"):
        notice.get_version(store, "v9")
