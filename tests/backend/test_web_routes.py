"""The web app's server side: the shell and its assets are served from the package, nothing
outside the asset folder is, the pages stay out of OpenAPI, and the consortium view reads
members, threshold, merchants and proposals (deadlines, approvals and cancel votes that count
now) from the chain."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.chains import TestChain
from tongdui.api.app import create_app
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.services import Services
from tongdui.web import STATIC


def client(services: Services) -> TestClient:
    return TestClient(create_app(services))


def test_the_shell_loads_its_module_and_stylesheet_from_this_server_only(
    services: Services,
) -> None:
    page = client(services).get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    assert sources and all(s.startswith("/assets/") for s in sources)


def test_every_asset_is_served_with_its_type_and_no_asset_loads_from_another_host(
    services: Services,
) -> None:
    api = client(services)
    types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    for path in STATIC.iterdir():
        if path.suffix not in types:
            continue
        answer = api.get(f"/assets/{path.name}")
        assert answer.status_code == 200, path.name
        assert answer.headers["content-type"].startswith(types[path.suffix])
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:from|import\(|url\()\s*["']?(?:https?:)?//""", text), path.name


def test_deep_links_open_the_shell_and_unknown_pages_are_404(services: Services) -> None:
    api = client(services)
    assert api.get("/app/merchant").text == api.get("/").text
    missing = api.get("/app/nowhere")
    assert missing.status_code == 404
    assert missing.json()["code"] == "NOT_FOUND"


def test_nothing_outside_the_asset_folder_is_served(services: Services) -> None:
    api = client(services)
    for path in ("../__init__.py", "..%2F__init__.py", "%2e%2e/%2e%2e/core/config.py", "nope.js"):
        assert api.get(f"/assets/{path}").status_code == 404, path


def test_the_pages_are_not_part_of_the_api_description(services: Services) -> None:
    paths = create_app(services).openapi()["paths"]
    assert "/" not in paths and not any(p.startswith(("/assets", "/app/")) for p in paths)
    assert "/web/consortium" in paths


def test_the_consortium_view_shows_members_threshold_merchants_and_the_admission_vote(
    clean_chain: TestChain, services: Services
) -> None:
    view = client(services).get("/web/consortium").json()
    governance = clean_chain.platform.governance.functions
    assert view["members"] == governance.members().call()
    assert view["threshold"] == 2
    assert [m["symbol"] for m in view["merchants"]] == ["SKYM", "BEAN", "FRESH"]
    (proposal,) = view["proposals"]
    assert proposal["state"] == "executed"
    assert proposal["description"] == "Admit demo merchants"
    assert proposal["approvals"] == 2
    assert [v["approved"] for v in proposal["votes"]] == [True, True, False]
    assert [c["function"] for c in proposal["calls"]] == ["admitMerchant"] * 3
    assert proposal["calls"][0]["targetName"] == "MerchantRegistry"
    assert proposal["calls"][0]["args"]["symbol"] == "SKYM"


def test_the_consortium_view_shows_the_rules_deadlines_and_cancel_votes_that_count_now(
    clean_chain: TestChain, services: Services
) -> None:
    w3, governance = clean_chain.w3, clean_chain.platform.governance
    proposer, canceller = (Signer(w3, key) for key in ANVIL_KEYS[1:3])
    data = governance.encode_abi("setThreshold", args=[3])
    wait_for(
        w3, [proposer.transact(governance.functions.propose([(governance.address, 0, data)], "t"))]
    )
    wait_for(w3, [canceller.transact(governance.functions.cancel(2))])

    view = client(services).get("/web/consortium").json()

    assert (view["cancelThreshold"], view["configurationEpoch"]) == (2, 1)
    assert view["votingPeriod"] == 7 * 24 * 3600
    proposal = view["proposals"][0]
    assert (proposal["id"], proposal["state"]) == (2, "open")
    assert proposal["deadline"] == governance.functions.proposalDeadline(2).call()
    assert (proposal["approvals"], proposal["cancelVotes"]) == (1, 1)
    assert [(v["approved"], v["cancel"]) for v in proposal["votes"]] == [
        (True, False),
        (False, True),
        (False, False),
    ]
