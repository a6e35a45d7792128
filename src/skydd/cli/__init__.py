"""The `skydd` command: parse, make one engine call, render. Nothing else lives here.

Typer is imported only in this package. `common` holds the app, its command groups
and the shared options; each other module adds the commands of one capability.
Every module of the package is imported here, so adding a capability's commands is
adding one file.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from skydd.cli.common import app

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name not in ("common", "__main__"):
        importlib.import_module(f"{__name__}.{_info.name}")


def click_command() -> typer._click.Command:
    """A fresh click command tree of `skydd`, for the generated CLI reference (docsgen).

    Typer 0.29 vendors click as `typer._click`, so this is the type it returns.
    """
    return typer.main.get_command(app)


def main() -> None:
    """Entry point of the `skydd` script.

    Leaves through os._exit once output is flushed: tearing down a large data map's
    hundreds of thousands of objects at interpreter exit costs a tenth of a second and
    achieves nothing. Databases and the store are closed by then (context managers).
    """
    code = 0
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
