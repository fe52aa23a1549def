"""The API's documentation page ``/docs`` (Swagger UI) with every asset served from this
process: on a consortium's network (or a laptop offline) nothing may be fetched from another
host, and FastAPI's defaults load Swagger UI and a favicon from CDNs (``/docs`` was blank
without internet).

The assets are those the ``fastapi-offline`` package ships (Swagger UI 5), served under
``/docs-assets/``; Swagger UI's online validator (another host) is switched off. There is no
``/redoc``: ReDoc loads its own badge from its vendor's CDN.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from ..core.errors import NotFoundError

ASSETS_URL = "/docs-assets"
FAVICON_URL = "/assets/logo.svg"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
SERVED = ("swagger-ui-bundle.js", "swagger-ui.css")


def assets_folder() -> Path:
    """The folder of Swagger UI's and ReDoc's files inside the installed package."""
    spec = find_spec("fastapi_offline")
    if spec is None or spec.origin is None:  # pragma: no cover - a broken install
        raise RuntimeError("fastapi-offline is not installed: run ./scripts/setup.sh")
    return Path(spec.origin).parent / "static"


def install(app: FastAPI) -> None:
    """Adds ``/docs`` and its assets (create the app with ``docs_url=None``)."""
    folder = assets_folder()
    router = APIRouter(include_in_schema=False)
    openapi_url = app.openapi_url or "/openapi.json"

    @router.get("/docs")
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — docs",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=FAVICON_URL,
            swagger_ui_parameters={"validatorUrl": None},
        )

    @router.get(ASSETS_URL + "/{name}")
    def asset(name: str) -> FileResponse:
        target = folder / name
        if name not in SERVED or not target.is_file():
            raise NotFoundError(f"no documentation asset {name!r}")
        return FileResponse(
            target,
            media_type=_TYPES.get(target.suffix, "application/octet-stream"),
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.include_router(router)
