"""schemathesis against the whole OpenAPI of a live server (uvicorn on a free port, the seeded
chain behind it): no input makes it answer 5xx. Quick: few examples per operation;
TONGDUI_SUITE=full: more."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.backend.api_support import live_api, make_keys
from tongdui.services import Services

from .conftest import FULL

EXAMPLES = 60 if FULL else 8


def test_no_request_makes_the_api_fail_with_a_server_error(
    services: Services, clean_chain: Any
) -> None:
    """Every operation, EXAMPLES generated requests each (schemathesis' hypothesis strategies;
    its pytest plugin does not load under this pytest, so the operations are driven here)."""
    failures: list[str] = []
    calls = 0
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def check(case: Any) -> None:
                nonlocal calls
                calls += 1
                response = case.call(base_url=live.url, timeout=30)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} {case.query} -> "
                        f"{response.status_code} {response.text[:200]}"
                    )

            check()
    print(f"\n{calls} generated requests over the OpenAPI; {len(failures)} server errors")
    assert failures == [], "\n".join(failures[:10])


def test_the_gift_domain_of_an_address_that_is_no_points_token_is_a_404(
    services: Services, clean_chain: Any
) -> None:
    """Found by the run above: it was a 500 (web3's BadFunctionCallOutput)."""
    with live_api(services) as live:
        answer = live.client.get("/gifts/domain", params={"token": "0x" + "12" * 20})
    assert answer.status_code == 404
    assert answer.json()["code"] == "TOKEN_NOT_FOUND"
