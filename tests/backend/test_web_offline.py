"""Nothing a page loads comes from another host: the API's docs (Swagger UI) and the four
pages work on a network without internet."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tongdui.api.app import create_app
from tongdui.services import Services

from .test_web_browser import browser, expect, open_page, stack  # noqa: F401 - fixtures
from .web_support import DESKTOP, Stack

PAGES = ["/docs", "/", "/app/wallet", "/app/merchant", "/app/auditor", "/app/consortium"]
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""")


def _foreign(reference: str) -> bool:
    return bool(urlsplit(reference).netloc) or reference.startswith("//")


def test_no_page_references_another_host(services: Services) -> None:
    with TestClient(create_app(services)) as client:
        for path in PAGES:
            answer = client.get(path)
            assert answer.status_code == 200, path
            references = [a or b for a, b in REFERENCE.findall(answer.text)]
            assert references, f"{path} references nothing: the pattern is wrong"
            assert [r for r in references if _foreign(r)] == [], path
            for reference in references:
                if reference.startswith("/"):
                    assert client.get(reference).status_code == 200, f"{path}: {reference}"
        assert client.get("/redoc").status_code == 404  # no page that loads from a CDN


@pytest.mark.parametrize(
    "path", [PAGES[0], "/#/wallet", "/#/merchant", "/#/auditor", "/#/consortium"]
)
def test_every_page_works_without_internet(
    browser: Any,  # noqa: F811
    stack: Stack,  # noqa: F811
    path: str,
) -> None:
    own = urlsplit(stack.url).netloc
    elsewhere: list[str] = []
    page = open_page(browser, stack, DESKTOP, wallet=None, path="/assets/logo.svg")

    def offline(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:  # as on a network without internet
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(stack.url + path)
    page.wait_for_load_state("networkidle")
    if path == "/docs":
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tongdui API")
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    else:
        expect(page.locator("main#page > *").first).to_be_visible()
        expect(page.locator("main#page p.loading")).to_have_count(0)
    assert elsewhere == []
    assert page.js_errors == []
