"""``@logged("issue")``: the one line a merchant route adds to write an operation-log entry.

Put it under the ``@router.post(...)`` line. The wrapped route keeps its parameters (FastAPI
reads the signature, with a ``request`` added when the route has none) and must name its key
dependency ``auth`` (a ``MerchantAuth``, or a ``ConsortiumAuth``: the actor then names the
member and the reviewer) and its body ``body``, as the merchant routes do.
Each call that passed authentication appends one entry, whatever the outcome: ``ok`` with the
transaction hash and status, or ``refused`` with the error code. (Requests refused before the
route runs — no key, wrong scope, malformed body — are answered 401/403/422 and not logged:
nothing was attempted.)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from ..core.errors import TongduiError
from ..services import Services
from .oplog import Action, append
from .roles import operator_of_key

F = TypeVar("F", bound=Callable[..., Any])


def _actor(services: Services, request: Request, auth: Any, tx_hash: str | None) -> dict[str, Any]:
    """Who acted: the operator the key was issued to, the key, the signer, the client address."""
    actor: dict[str, Any] = {
        "key_prefix": getattr(auth, "key_prefix", None),
        "client": request.client.host if request.client else None,
        "operator_id": None,
        "operator_name": None,
        "signer": None,
    }
    if getattr(auth, "member", None):  # a consortium reviewer: the member it acts for
        actor["member"], actor["reviewer"] = auth.member, auth.label
    elif actor["key_prefix"]:
        with services.sessions() as session:
            operator = operator_of_key(session, actor["key_prefix"])
            if operator is not None:
                actor["operator_id"], actor["operator_name"] = operator.id, operator.name
    if tx_hash:
        try:
            actor["signer"] = str(services.w3.eth.get_transaction(tx_hash)["from"])  # type: ignore[arg-type]
        except Exception:  # the signer is a courtesy; the tx hash is the record
            actor["signer"] = None
    return actor


def _request_of(request: Request, body: Any) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.url.path,
        "query": dict(sorted(request.query_params.items())),
        "body": body.model_dump(mode="json") if isinstance(body, BaseModel) else body,
    }


def log_call(
    request: Request,
    action: str,
    auth: Any,
    body: Any,
    result: dict[str, Any],
    target: Any,
) -> None:
    services: Services = request.app.state.services
    append(
        services.sessions,
        Action(
            action=action,
            actor=_actor(services, request, auth, result.get("tx_hash")),
            target=str(target or getattr(auth, "token", "") or ""),
            merchant_token=getattr(auth, "token", None),
            request=_request_of(request, body),
            result=result,
        ),
    )


def logged(action: str, target: str | None = None) -> Callable[[F], F]:
    """Logs every call of the decorated route as ``action`` on ``body.<target>`` or the path
    parameter ``target`` (else the merchant's token)."""

    def wrap(route: F) -> F:
        signature = inspect.signature(route, eval_str=True)
        add_request = "request" not in signature.parameters
        parameters = list(signature.parameters.values())
        if add_request:
            parameters.append(
                inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
            )

        @functools.wraps(route)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request: Request = kwargs.pop("request") if add_request else kwargs["request"]
            auth, body = kwargs.get("auth"), kwargs.get("body")
            aimed = None  # a body field, else a path parameter (``application_id``)
            if target:
                aimed = getattr(body, target, None) if hasattr(body, target) else kwargs.get(target)
            try:
                answer = route(*args, **kwargs)
            except TongduiError as error:
                refused = {"status": "refused", "code": str(error.code)}
                log_call(request, action, auth, body, refused, aimed)
                raise
            except Exception as error:
                failed = {"status": "error", "error": type(error).__name__}
                log_call(request, action, auth, body, failed, aimed)
                raise
            ok: dict[str, Any] = {"status": "ok"}
            for name in ("tx_hash", "status", "block_number", "proposal_id"):
                if getattr(answer, name, None) is not None:
                    ok["tx_status" if name == "status" else name] = getattr(answer, name)
            log_call(request, action, auth, body, ok, aimed)
            return answer

        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return wrap
