"""The FastAPI application: routers, and one error shape for everything.

Every error leaves as JSON ``{"code", "message", "details"}`` with a stable ``code``:
our own ``TongduiError`` tree, request validation (``INVALID_REQUEST``), unknown routes
(``NOT_FOUND``) and anything unexpected (``INTERNAL_ERROR``, details never leak internals).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError
from ..services import Services
from .body_limit import BodyLimit
from .docs import install as install_docs
from .metrics import install as install_metrics
from .problems import validation_problems
from .query_params import refuse_unknown_query
from .read_cache import ReadCache
from .schemas import Error

log = logging.getLogger("tongdui.api")
INVALID_QUERY: dict[int | str, dict[str, Any]] = {
    422: {
        "model": Error,
        "description": "Invalid fields or query parameters (`INVALID_REQUEST`; an unknown "
        "query parameter is named in `details.parameter`), or a contract refusal decoded to "
        "its stable code.",
    }
}


class ErrorBody(dict[str, Any]):
    """``{code, message, details}``: documented in OpenAPI as ``Error``."""


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details or {}}
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TongduiError)
    async def _tongdui(_: Request, error: TongduiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = validation_problems(error.errors())
        first = problems[0] if problems else {"field": "?", "problem": "invalid"}
        return error_response(
            422,
            ErrorCode.INVALID_REQUEST,
            f"{first['field']}: {first['problem']} (see details for every problem)",
            {"errors": problems},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
            401: ErrorCode.UNAUTHORIZED,
            403: ErrorCode.FORBIDDEN,
        }.get(error.status_code, ErrorCode.HTTP_ERROR)
        return error_response(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(
            500,
            ErrorCode.INTERNAL_ERROR,
            "Something went wrong on our side; the request was not applied.",
        )


def create_app(services: Services) -> FastAPI:
    """The API over ``services``; routers are added by each component's module."""
    from .routes import ROUTERS

    app = FastAPI(
        title="Tongdui API",
        version=__version__,
        description="Swap loyalty points between programs of the Tongdui consortium.",
        dependencies=[Depends(refuse_unknown_query)],
        docs_url=None,  # served by .docs with local assets, not from a CDN
        redoc_url=None,  # ReDoc loads its badge from a CDN: /docs only
    )
    app.state.services = services
    _install_error_handlers(app)
    app.add_middleware(ReadCache, services=services)
    install_metrics(app)
    app.add_middleware(BodyLimit)  # outermost: an oversized body reaches nothing else
    for router in ROUTERS:
        # every route may answer 422 (an unknown query parameter, see query_params.py)
        app.include_router(router, responses=INVALID_QUERY)
    install_docs(app)
    return app
