"""Staff authentication for the admin API and staff pages.

A staff member sends their token as ``Authorization: Bearer …``, or signs in on
``/staff/login`` and gets a session cookie (signed, http-only, SameSite=Strict,
secure over https) holding it. Roles and permissions are the workflow's
(``skydd.workflow.ROLES``); ``require(permission)`` is the dependency a route
declares. A cookie alone does not authorise a change: unsafe methods with a
cookie also need the CSRF token in the ``X-Skydd-CSRF`` header.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from skydd.web.security import csrf_ok
from skydd.web.signing import Signer
from skydd.workflow import Permission, Staff, authenticate

SESSION_COOKIE = "skydd_session"
CSRF_HEADER = "x-skydd-csrf"
_SAFE = ("GET", "HEAD", "OPTIONS")

bearer = HTTPBearer(auto_error=False, description="A staff token from `skydd staff add`.")


def _unauthorised() -> HTTPException:
    return HTTPException(401, "a staff token is needed", headers={"WWW-Authenticate": "Bearer"})


async def current_staff(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
) -> Staff:
    """The staff member behind the request's token or session cookie; 401 otherwise."""
    token = credentials.credentials if credentials else None
    if token is None:
        token = session_token(request)
        if token and request.method not in _SAFE:
            if not csrf_ok(request, request.headers.get(CSRF_HEADER)):
                raise HTTPException(403, "a CSRF token is needed with a session cookie")
    if not token:
        raise _unauthorised()
    staff = await run_in_threadpool(authenticate, request.app.state.store, token)
    if staff is None:
        raise _unauthorised()
    return staff


def require(permission: Permission) -> Callable[..., Awaitable[Staff]]:
    """A dependency: the staff member if their role has ``permission``; 401 or 403 otherwise."""

    async def dependency(staff: Staff = Depends(current_staff)) -> Staff:  # noqa: B008
        if not staff.can(permission):
            raise HTTPException(403, f"the role {staff.role.value} may not do {permission.value}")
        return staff

    dependency.__name__ = f"require_{permission.name}"
    return dependency


def session_token(request: Request) -> str | None:
    signer: Signer = request.app.state.signer
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    value = signer.check("session", cookie, request.app.state.settings.session_ttl)
    return value if isinstance(value, str) else None


def start_session(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    signer: Signer = request.app.state.signer
    response.set_cookie(
        SESSION_COOKIE,
        signer.make("session", token),
        max_age=int(settings.session_ttl.total_seconds()),
        httponly=True,
        secure=settings.https,
        samesite="strict",
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
