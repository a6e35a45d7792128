"""The cookie banner and the consent ledger's web door.

- ``GET /consent/banner.js``: the banner, configured from the data map in the reader's
  language (``?lang=``, else Accept-Language); ``Sec-GPC: 1`` is honoured as a refusal.
- ``GET /consent/banner.css``: its styles (a file, so that a strict CSP allows them).
- ``POST /consent/choice``: one visitor's choice, written to the ledger with its proof.
  Writes are group-committed: every request waits for the transaction that holds its
  event, so an answer of 201 means the event is durable, and hundreds of choices a
  second share one commit.
- ``GET /consent/demo``: a page that shows the banner holding back scripts.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from skydd.consent.book import Choice, ConsentBook
from skydd.consent.ledger import Proof
from skydd.datamap.models import LANGS
from skydd.web.banner import config as banner
from skydd.web.pages import choose_lang
from skydd.web.security import RateLimiter, client_address

router = APIRouter(prefix="/consent", tags=["consent"])

MAX_BODY = 4096
MAX_BATCH = 512
METHODS = ("banner", "settings", "gpc")
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_lock = threading.Lock()


def _gpc(request: Request) -> bool:
    return request.headers.get("sec-gpc", "").strip() == "1"


def _published(request: Request) -> tuple[str, str] | None:
    """The privacy notice version in force, when one has been published (read at most
    once a second: a newly published notice reaches the banner within a second)."""
    from skydd.notice.versions import current_notice_version

    state = request.app.state
    now = time.monotonic()
    cached = getattr(state, "consent_published", None)
    if cached is None or now - cached[0] > 1.0:
        cached = state.consent_published = (now, current_notice_version(state.store))
    found: tuple[str, str] | None = cached[1]
    return found


def _config(request: Request, lang: str) -> dict[str, Any]:
    """The banner's configuration, built once per language, GPC and notice version."""
    return _configured(request, lang)[0]


def _configured(request: Request, lang: str) -> tuple[dict[str, Any], str]:
    """(configuration, notice hash), kept per language, GPC and notice version: a choice
    posted to the ledger costs no rebuilding and no hashing."""
    state = request.app.state
    published, gpc = _published(request), _gpc(request)
    configs: dict[Any, tuple[dict[str, Any], str]] | None = getattr(state, "consent_configs", None)
    if configs is None:
        configs = state.consent_configs = {}
    key = (lang, gpc, published)
    found = configs.get(key)
    if found is None:
        datamap = state.loaded.datamap
        cfg = banner.build(
            datamap,
            lang,
            published=published,
            gpc=gpc,
            notice_url=getattr(datamap.notice, "url", None) or datamap.controller.website,
        )
        if len(configs) > 64:
            configs.clear()
        found = configs[key] = (cfg, banner.version_of(datamap, published)[1])
    return found


class Writer:
    """Group commit: choices queue up and are written together, one transaction a batch."""

    def __init__(self, book: ConsentBook) -> None:
        self.book = book
        self.queue: asyncio.Queue[tuple[str, Choice, asyncio.Future[str]]] | None = None
        self.task: asyncio.Task[None] | None = None

    async def write(self, visitor: str, choice: Choice) -> str:
        if self.task is None or self.task.done() or self.queue is None:
            self.queue = asyncio.Queue()
            self.task = asyncio.get_running_loop().create_task(self._drain(self.queue))
        done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        await self.queue.put((visitor, choice, done))
        return await done

    async def _drain(self, queue: asyncio.Queue[tuple[str, Choice, asyncio.Future[str]]]) -> None:
        while True:
            items = [await queue.get()]
            while not queue.empty() and len(items) < MAX_BATCH:
                items.append(queue.get_nowait())
            try:
                ids = await run_in_threadpool(
                    self.book.record_visitors, [(v, c) for v, c, _ in items]
                )
            except Exception as exc:  # noqa: BLE001 - every waiting request must hear of it
                for *_, done in items:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for (_, _, done), event_id in zip(items, ids, strict=True):
                if not done.done():
                    done.set_result(event_id)


def _writer(request: Request) -> Writer:
    state = request.app.state
    with _lock:
        writer: Writer | None = getattr(state, "consent_writer", None)
        if writer is None:
            book = ConsentBook(state.store, state.loaded)
            writer = state.consent_writer = Writer(book)
            per_minute = float(os.environ.get("SKYDD_CONSENT_RATE", "120"))
            state.consent_limiter = (
                RateLimiter(state.signer, burst=30, per_minute=per_minute) if per_minute else None
            )
    return writer


def _limit(request: Request) -> None:
    limiter: RateLimiter | None = request.app.state.consent_limiter
    if limiter is not None:
        wait = limiter.allow(client_address(request))
        if wait > 0:
            raise HTTPException(429, "rate", headers={"Retry-After": str(max(1, round(wait)))})


def _bad(what: str) -> HTTPException:
    return HTTPException(400, what)


def _names(value: Any, allowed: set[str], what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(f"{what} must be a list of names")
    unknown = set(value) - allowed
    if unknown:
        raise _bad(f"{what}: unknown {', '.join(sorted(unknown))}")
    return list(dict.fromkeys(value))


def _body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _bad("the body is not JSON") from None
    if not isinstance(data, dict):
        raise _bad("the body is a JSON object")
    return data


def parse_choice(
    data: dict[str, Any], cfg: dict[str, Any], *, ip: str, gpc: bool, notice_hash: str | None = None
) -> tuple[str, Choice]:
    """A posted choice, checked against the banner's own categories before it is queued,
    so that one bad request can never fail a batch of good ones."""
    visitor = data.get("visitor")
    if not isinstance(visitor, str) or not _VISITOR.match(visitor):
        raise _bad("visitor is 16 to 64 letters, digits, - or _")
    optional = {c["id"] for c in cfg["cats"] if not c["required"]}
    services = {s["id"] for c in cfg["cats"] for s in c["services"]}
    granted = _names(data.get("granted", []), optional, "granted")
    refused = _names(data.get("refused", []), optional, "refused")
    off = _names(data.get("services_refused", []), services, "services_refused")
    if set(granted) & set(refused) or not (granted or refused):
        raise _bad("each category is either granted or refused, and at least one is named")
    method = data.get("method", "banner")
    if method not in METHODS:
        raise _bad("method is banner, settings or gpc")
    gpc = gpc or data.get("gpc") is True
    evidence: dict[str, str | bool | int] = {"gpc": gpc}
    if off:
        evidence["services_refused"] = ",".join(sorted(off))
    if data.get("version") != cfg["version"]:
        evidence["shown_version"] = str(data.get("version"))[:80]
    proof = Proof(
        method=method,
        channel="web",
        language=cfg["lang"],
        notice_version=cfg["version"],
        notice_hash=notice_hash,
        ip=ip,
        evidence=evidence,
    )
    return visitor, Choice(proof=proof, granted=granted, refused=refused)


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    return asked if asked in LANGS else choose_lang(request)


@router.get("/banner.js", include_in_schema=False)
def banner_js(request: Request) -> Response:
    body = banner.script(_config(request, _lang(request)))
    headers = {"Cache-Control": "private, max-age=300", "Vary": "Accept-Language, Sec-GPC"}
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/banner.css", include_in_schema=False)
def banner_css() -> Response:
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(banner.asset("banner.css"), media_type="text/css", headers=headers)


@router.get("/config")
def banner_config(request: Request, lang: str = "", visitor: str = "") -> dict[str, Any]:
    """What the banner shows: categories, cookies with lifetimes, services and texts.

    With ``visitor`` (the id the banner keeps in its cookie), also that visitor's standing
    choice from the ledger and whether the banner must ask again (``show_banner``): a
    website that renders pages on its server can leave scripts out without the script.
    """
    cfg = _config(request, lang if lang in LANGS else _lang(request))
    if not visitor:
        return cfg
    if not _VISITOR.match(visitor):
        raise HTTPException(400, "visitor is 16 to 64 letters, digits, - or _")
    choice = _writer(request).book.visitor_choice(visitor)
    current = choice is not None and choice["notice_version"] == cfg["version"]
    standing = {"decisions": choice["decisions"], "at": str(choice["at"])} if choice else None
    return {**cfg, "choice": standing, "show_banner": cfg["ask"] and not current}


@router.post("/choice", status_code=201)
async def choice(request: Request) -> JSONResponse:
    """Record one visitor's choice; 201 once it is durable in the ledger."""
    writer = _writer(request)
    _limit(request)
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"detail": "the body is too large"}, status_code=413)
    try:
        data = _body(body)
        lang = data.get("lang") if data.get("lang") in LANGS else "en"
        cfg, notice_hash = _configured(request, str(lang))
        visitor, parsed = parse_choice(
            data, cfg, ip=client_address(request), gpc=_gpc(request), notice_hash=notice_hash
        )
    except HTTPException as exc:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    event_id = await writer.write(visitor, parsed)
    return JSONResponse({"id": event_id}, status_code=201)


DEMO_JS = (
    "(function(){{var c={cat};document.cookie='skydd_demo_'+c+'=1; path=/; max-age=600';"
    "window.skyddDemoRan=(window.skyddDemoRan||[]).concat([c]);"
    "var o=document.getElementById('ran-'+c);if(o)o.textContent='\\u2713';}})();"
)


@router.get("/demo.js", include_in_schema=False)
def demo_js(c: str = "analytics") -> Response:
    cat = c if c in banner.ORDER else "analytics"
    return Response(DEMO_JS.format(cat=json.dumps(cat)), media_type="text/javascript")


@router.get("/demo", include_in_schema=False)
def demo_page(request: Request) -> HTMLResponse:
    lang = _lang(request)
    cfg = _config(request, lang)
    from skydd.web.banner.demo import page

    return HTMLResponse(page(request.app.state.loaded.datamap, cfg))
