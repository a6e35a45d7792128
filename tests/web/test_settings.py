"""Settings, the secret key, encrypted deliveries, route discovery and the `skydd serve` command."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from typer.testing import CliRunner
from web_site import SECRET, Site

from skydd.cli import app as cli
from skydd.errors import SkyddError
from skydd.web.app import route_modules
from skydd.web.files import Vault
from skydd.web.server import schedules
from skydd.web.settings import SECRET_FILE, WebSettings, secret_key
from skydd.web.signing import Signer


def test_a_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_key(tmp_path, {})
    assert len(first) >= 32
    mode = stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert secret_key(tmp_path, {}) == first
    os.chmod(tmp_path / SECRET_FILE, 0o644)
    with pytest.raises(SkyddError, match="can be read by other users"):
        secret_key(tmp_path, {})


def test_the_environment_key_wins_and_must_be_long(tmp_path: Path) -> None:
    key = "k" * 40
    assert secret_key(tmp_path, {"SKYDD_SECRET_KEY": key}) == key.encode()
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(SkyddError, match="too short"):
        secret_key(tmp_path, {"SKYDD_SECRET_KEY": "short"})


def test_settings_load_from_the_environment(small_map: Path) -> None:
    env = {"SKYDD_SECRET_KEY": "s" * 40, "SKYDD_BASE_URL": "https://privacy.example.se/"}
    settings = WebSettings.load(small_map, environ=env)
    assert settings.base_url == "https://privacy.example.se" and settings.https
    assert settings.state_dir == small_map.parent / ".skydd"
    assert "s" * 40 not in repr(settings)
    store = small_map.parent / "elsewhere" / "store.db"
    store.parent.mkdir()
    moved = WebSettings.load(small_map, store_url=f"sqlite:///{store}", environ=env)
    assert moved.state_dir == store.parent


def test_deliveries_are_encrypted_and_purged(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "files", Signer(SECRET), keep=timedelta(days=30))
    report = tmp_path / "registerutdrag.html"
    report.write_text("<p>Anna Svensson, anna@example.se</p>", encoding="utf-8")
    delivery = vault.put([report])
    stored = next((tmp_path / "files" / delivery).iterdir())
    assert b"Anna" not in stored.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert vault.names(delivery) == ["registerutdrag.html"]
    assert vault.read(delivery, "registerutdrag.html") == report.read_bytes()
    assert vault.read(delivery, "../../etc/passwd") is None
    token = vault.link_token(delivery)
    assert vault.delivery_of(token, timedelta(days=7)) == delivery
    assert vault.delivery_of(token + "x", timedelta(days=7)) is None
    assert vault.purge(now=time.time()) == 0
    assert vault.purge(now=time.time() + 31 * 86400) == 1
    assert vault.names(delivery) == []


def test_another_key_cannot_read_a_delivery(tmp_path: Path) -> None:
    report = tmp_path / "data.json"
    report.write_text("{}", encoding="utf-8")
    delivery = Vault(tmp_path, Signer(SECRET), keep=timedelta(days=1)).put([report])
    other = Vault(
        tmp_path, Signer(b"another secret of at least thirty-two bytes"), keep=timedelta(1)
    )
    from cryptography.fernet import InvalidToken

    with pytest.raises(InvalidToken):
        other.read(delivery, "data.json")
    assert (
        other.delivery_of(
            Vault(tmp_path, Signer(SECRET), keep=timedelta(1)).link_token(delivery), timedelta(1)
        )
        is None
    )


def test_every_route_module_is_included(site: Site) -> None:
    paths = {c.path for c in iter_route_contexts(site.app.routes)}
    for module in route_modules():
        router = getattr(module, "router", None)
        if router is None:
            continue
        for context in iter_route_contexts(router.routes):
            assert context.path in paths, module.__name__


def test_serve_schedules_purging_and_retention(site: Site) -> None:
    only_purge = schedules(site.app, site.map_path, None, None)
    assert [(j.at, str(j.tz)) for j in only_purge] == [(dt.time(3, 0), "Europe/Stockholm")]
    both = schedules(site.app, site.map_path, None, "02:30")
    assert [j.at for j in both] == [dt.time(2, 30), dt.time(2, 30)]
    report = both[1].job(dt.date(2026, 11, 22))  # the retention run of that day
    assert report is not None and report.run_id
    assert both[0].job(dt.date(2026, 11, 22)) == 0  # nothing old to purge
    with pytest.raises(SkyddError, match="not a time of day"):
        schedules(site.app, site.map_path, None, "half past three")


def test_serve_is_a_documented_command() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--map", "--host", "--port", "--retention-at", "--base-url"):
        assert option in result.output


def test_serve_without_the_web_extra_names_the_install(small_map: Path) -> None:
    code = (
        "import sys; sys.modules['fastapi'] = None; sys.modules['uvicorn'] = None\n"
        "from skydd.cli import app\n"
        f"app(['serve', '--map', {str(small_map)!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert 'pip install "skydd[web]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_bad_retention_time(small_map: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--map", str(small_map), "--retention-at", "25:99"])
    assert result.exit_code == 2
    assert "HH:MM" in result.output


def test_mail_comes_from_the_environment_and_mistakes_are_errors(small_map: Path) -> None:
    env = {"SKYDD_SECRET_KEY": "s" * 40}
    assert WebSettings.load(small_map, environ=env).mail is None
    env |= {"SKYDD_SMTP_HOST": "127.0.0.1", "SKYDD_SMTP_PORT": "2525"}
    mail = WebSettings.load(small_map, environ=env).mail
    assert mail is not None and mail.port == 2525
    with pytest.raises(SkyddError, match="port number"):
        WebSettings.load(small_map, environ=env | {"SKYDD_SMTP_PORT": "twenty-five"})
