"""Query strings hold exactly what each route declares: an unknown parameter is a 422.

Why globally (an app-wide dependency) rather than per route: every route had the flaw. A
misspelt parameter was ignored, and where it narrows the answer the ignored spelling changes
it silently: ``/statements/…?from=…&to=…`` (for ``fromDate``/``toDate``) returned a statement
of the whole history, ``/history/…?kinds=swap`` every kind, ``/orders?owner=…&limt=5`` fifty
orders. Now the answer names the parameter and the ones the route takes.

Integer parameters take ASCII decimal digits only, as their OpenAPI ``integer`` type says: the
validator behind them also took ``" 50"``, ``"50\\n"``, ``"5_0"`` and fullwidth ``"５０"``.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError

INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_DECLARED: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _is_int(annotation: Any) -> bool:
    """``int``, ``int | None``, ``list[int]``, ``Annotated[int, …]`` …"""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_int(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(_is_int(a) for a in args)
    return False


def _query_fields(dependant: Dependant) -> list[Any]:
    """The query parameters of ``dependant`` and of every dependency beneath it."""
    fields = list(dependant.query_params)
    for sub in dependant.dependencies:
        fields += _query_fields(sub)
    return fields


def declared(route: APIRoute) -> tuple[frozenset[str], frozenset[str]]:
    """(every query parameter ``route`` takes, those of them that are integers)."""
    known = _DECLARED.get(id(route))
    if known is None:
        params = _query_fields(route.dependant)
        names = frozenset(p.alias for p in params)
        integers = frozenset(p.alias for p in params if _is_int(p.field_info.annotation))
        known = _DECLARED[id(route)] = (names, integers)
    return known


def _refuse(name: str, message: str, **details: Any) -> ValidationError:
    """422 as FastAPI answers any other bad parameter (the catalogue's INVALID_REQUEST is 400)."""
    return ValidationError(
        message, code=ErrorCode.INVALID_REQUEST, status=422, parameter=name, **details
    )


async def refuse_unknown_query(request: Request) -> None:
    """App-wide dependency: unknown query parameters and non-ASCII-decimal integers → 422."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return  # the pages (``/``, ``/assets/…``) are not the API
    if not request.query_params:
        return
    names, integers = declared(route)
    for name, value in request.query_params.multi_items():
        if name not in names:
            takes = ", ".join(sorted(names)) or "none"
            raise _refuse(
                name,
                f"Unknown query parameter {name!r}; this route takes: {takes}. "
                "A misspelt parameter would otherwise be ignored and change the answer.",
                accepted=sorted(names),
            )
        if name in integers and not INTEGER.fullmatch(value):
            raise _refuse(
                name,
                f"Query parameter {name!r} must be a whole number in ASCII digits (got {value!r}).",
            )
