"""The pages a person opens: wallet, merchant, auditor and consortium, served by the API itself.

One HTML shell at ``/`` and plain ES modules and CSS under ``/assets/``, all shipped inside the
package (no CDN, no build step, nothing fetched at run time): the pages talk to the same API
that a generated client would. Page routes are hidden from OpenAPI (they are not the API).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

from ..core.errors import NotFoundError

STATIC = Path(str(files(__package__) / "static"))
PAGES = ("wallet", "merchant", "auditor", "consortium")
_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".html": "text/html",
    ".json": "application/json",
}

router = APIRouter(include_in_schema=False, tags=["web"])


def _shell() -> HTMLResponse:
    # no-cache: a new release's pages are seen at once; the assets are small
    return HTMLResponse(
        (STATIC / "index.html").read_text(encoding="utf-8"), headers={"Cache-Control": "no-cache"}
    )


@router.get("/")
def index() -> HTMLResponse:
    """The web app; ``#/wallet`` (default), ``#/merchant``, ``#/auditor``, ``#/consortium``."""
    return _shell()


@router.get("/app/{page}")
def page(page: str) -> Response:
    """Deep links without a hash (``/app/merchant``) open the same shell on that page."""
    if page not in PAGES:
        raise NotFoundError(f"no page {page!r}; the pages are {', '.join(PAGES)}")
    return _shell()


@router.get("/assets/{path:path}")
def asset(path: str) -> FileResponse:
    """A file of ``backend/web/static``; anything outside that folder is 404."""
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC.resolve() not in target.parents:
        raise NotFoundError(f"no asset {path!r}")
    return FileResponse(
        target,
        media_type=_TYPES.get(target.suffix, "application/octet-stream"),
        headers={"Cache-Control": "no-cache"},
    )
