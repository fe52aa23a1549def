"""The onboarding review over a live server on anvil: a business applies and sees its
application pending; a consortium reviewer approves it, which opens the governance proposal
(admitMerchant, and nothing personal) on chain; after the members' votes the merchant is
admitted and the applicant sees it with the proposal's id. A rejection carries its reason to
the applicant; a decision is not reviewed twice; bad input is refused with a code and a
sentence per field; only a live consortium key reviews; every review is in the operation log
with the reviewer, and the log's chain verifies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import httpx
import pytest
from eth_account import Account
from pydantic import SecretStr
from typer.testing import CliRunner

from tests.chains import TestChain
from tongdui.chain.transactions import Signer, wait_for
from tongdui.cli import app
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.core.db import transaction
from tongdui.indexer import Indexer
from tongdui.onboarding import service
from tongdui.onboarding.demo import DEMO_APPLICANT_KEY, demo_application
from tongdui.onboarding.keys import create_consortium_key, revoke_consortium_key
from tongdui.query import chain as live
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys

MEMBERS = ANVIL_KEYS[1:4]
ADMIT_GAS = 6_000_000  # execute deploys one PointsToken (~4.5 M with expiry buckets)


def application_body(**changes: Any) -> dict[str, Any]:
    fields = {**asdict(demo_application()), **changes}
    camel = {
        "company_name": "companyName",
        "licence_number": "licenceNumber",
        "contact_name": "contactName",
        "contact_email": "contactEmail",
        "contact_phone": "contactPhone",
        "program_name": "programName",
        "issuance_cap": "issuanceCap",
        "point_value": "pointValue",
    }
    return {camel.get(k, k): v for k, v in fields.items()}


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    services.settings.member_keys = [SecretStr(k) for k in MEMBERS]
    with live_api(services) as served:
        served.keys = make_keys(services, clean_chain.tokens)
        with transaction(services.sessions) as session:
            member1 = Account.from_key(MEMBERS[0]).address
            served.keys["reviewer"] = create_consortium_key(session, member1, "王芳")
            member2 = Account.from_key(MEMBERS[1]).address
            served.keys["reviewer2"] = create_consortium_key(session, member2, "张伟")
            served.keys["revoked"] = create_consortium_key(session, member1, "old")
            revoke_consortium_key(session, served.keys["revoked"].split("_")[1])
        yield served


def apply(api: LiveApi, **changes: Any) -> dict[str, Any]:
    answer = api.client.post("/onboarding/applications", json=application_body(**changes))
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    return filed


def status(api: LiveApi, reference: str) -> dict[str, Any]:
    answer = api.client.get(f"/onboarding/applications/{reference}")
    assert answer.status_code == 200, answer.text
    seen: dict[str, Any] = answer.json()
    return seen


def approve(api: LiveApi, application_id: int, key: str = "reviewer") -> httpx.Response:
    return api.client.post(
        f"/consortium/applications/{application_id}/approve", headers=api.auth(key)
    )


def reject(api: LiveApi, application_id: int, reason: str) -> httpx.Response:
    return api.client.post(
        f"/consortium/applications/{application_id}/reject",
        json={"reason": reason},
        headers=api.auth("reviewer"),
    )


def vote_and_execute(chain: TestChain, proposal_id: int) -> None:
    """Member 2 approves (member 1's proposal is its own approval: 2 of 3), member 1 executes."""
    governance = chain.platform.governance.functions
    second, first = Signer(chain.w3, MEMBERS[1]), Signer(chain.w3, MEMBERS[0])
    wait_for(chain.w3, [second.transact(governance.approve(proposal_id))])
    wait_for(chain.w3, [first.transact(governance.execute(proposal_id), gas=ADMIT_GAS)])


def test_an_approved_application_opens_the_proposal_and_the_voted_merchant_is_admitted(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    filed = apply(api)
    assert status(api, filed["reference"])["status"] == "pending"
    queue = api.client.get("/consortium/applications", headers=api.auth("reviewer")).json()
    assert [a["id"] for a in queue["applications"]] == [filed["id"]]
    assert queue["applications"][0]["licenceNumber"] == demo_application().licence_number

    answer = approve(api, filed["id"])
    assert answer.status_code == 200, answer.text
    proposal_id = answer.json()["proposalId"]
    governance = clean_chain.platform.governance.functions
    assert governance.proposalState(proposal_id).call() == 1  # open
    assert governance.approvalCount(proposal_id).call() == 1  # the proposer's own vote
    [(target, value, data)] = governance.proposalCalls(proposal_id).call()
    registry = clean_chain.platform.registry
    function, args = registry.decode_function_input(data)
    assert (target, value, function.fn_name) == (registry.address, 0, "admitMerchant")
    assert dict(args) == {
        "name": "Chayu Tea Points",
        "symbol": "TEA",
        "admin": Account.from_key(DEMO_APPLICANT_KEY).address,
        "issuanceCap": 5_000_000,
        "pointValue": 3,
    }

    Indexer(services, progress=False).run_once()
    seen = status(api, filed["reference"])
    assert seen["status"] == "approved"
    assert seen["proposal"] == {
        "id": proposal_id,
        "state": "open",
        "approvals": 1,
        "threshold": 2,
        "txHash": answer.json()["txHash"],
    }

    vote_and_execute(clean_chain, proposal_id)
    Indexer(services, progress=False).run_once()
    seen = status(api, filed["reference"])
    assert (seen["proposal"]["state"], seen["proposal"]["approvals"]) == ("executed", 2)
    assert "TEA" in {m["symbol"] for m in live.merchants(clean_chain.platform)}


def test_the_other_members_reviewer_votes_and_executes_from_the_consortium_api(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    filed = apply(api)
    proposal_id = approve(api, filed["id"]).json()["proposalId"]
    path = f"/consortium/proposals/{proposal_id}"
    early = api.client.post(f"{path}/execute", headers=api.auth("reviewer"))
    assert early.status_code == 422, early.text
    again = api.client.post(f"{path}/approve", headers=api.auth("reviewer"))
    assert (again.status_code, again.json()["code"]) == (422, "ALREADY_APPROVED")
    assert api.client.post(f"{path}/approve").status_code == 401

    voted = api.client.post(f"{path}/approve", headers=api.auth("reviewer2"))
    assert voted.status_code == 200, voted.text
    executed = api.client.post(f"{path}/execute", headers=api.auth("reviewer2"))
    assert executed.status_code == 200, executed.text
    Indexer(services, progress=False).run_once()
    seen = status(api, filed["reference"])
    assert (seen["proposal"]["state"], seen["proposal"]["approvals"]) == ("executed", 2)
    assert "TEA" in {m["symbol"] for m in live.merchants(clean_chain.platform)}
    entries = api.client.get("/consortium/oplog", headers=api.auth("reviewer")).json()["entries"]
    votes = [
        (e["action"], e["actor"]["reviewer"], e["result"]["status"])
        for e in entries
        if e["action"].startswith("governance.")
    ]
    assert votes == [
        ("governance.execute", "王芳", "refused"),
        ("governance.approve", "王芳", "refused"),
        ("governance.approve", "张伟", "ok"),
        ("governance.execute", "张伟", "ok"),
    ]


def test_no_personal_detail_of_the_application_goes_on_chain(
    api: LiveApi, clean_chain: TestChain
) -> None:
    filed = apply(api)
    tx_hash = approve(api, filed["id"]).json()["txHash"]
    sent = bytes(clean_chain.w3.eth.get_transaction(tx_hash)["input"])
    form = demo_application()
    for private in (form.company_name, form.licence_number, form.contact_email, "李娜"):
        assert private.encode() not in sent


def test_a_rejected_applicant_reads_the_reason(api: LiveApi, clean_chain: TestChain) -> None:
    filed = apply(api)
    count = clean_chain.platform.governance.functions.proposalCount().call()
    answer = reject(api, filed["id"], "营业执照已过期，请更新后重新申请")
    assert answer.status_code == 200, answer.text
    seen = status(api, filed["reference"])
    assert (seen["status"], seen["reason"], seen["proposal"]) == (
        "rejected",
        "营业执照已过期，请更新后重新申请",
        None,
    )
    assert clean_chain.platform.governance.functions.proposalCount().call() == count


def test_a_rejection_without_a_reason_is_refused_and_the_application_stays_pending(
    api: LiveApi,
) -> None:
    filed = apply(api)
    answer = reject(api, filed["id"], "  ")
    assert (answer.status_code, answer.json()["code"]) == (422, "APPLICATION_INVALID")
    assert status(api, filed["reference"])["status"] == "pending"


def test_a_reviewed_application_is_not_reviewed_twice(api: LiveApi, clean_chain: TestChain) -> None:
    approved, rejected = apply(api), apply(api, symbol="TEB")
    assert approve(api, approved["id"]).status_code == 200
    assert reject(api, rejected["id"], "incomplete").status_code == 200
    count = clean_chain.platform.governance.functions.proposalCount().call()
    for again in (
        approve(api, approved["id"]),
        reject(api, approved["id"], "changed my mind"),
        approve(api, rejected["id"]),
    ):
        assert (again.status_code, again.json()["code"]) == (409, "APPLICATION_ALREADY_REVIEWED")
        assert "already" in again.json()["message"]
    assert clean_chain.platform.governance.functions.proposalCount().call() == count
    assert status(api, rejected["reference"])["reason"] == "incomplete"


def test_two_reviewers_approving_at_once_open_one_proposal(
    api: LiveApi, clean_chain: TestChain
) -> None:
    filed = apply(api)
    count = clean_chain.platform.governance.functions.proposalCount().call()
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        with httpx.Client(base_url=api.url, timeout=60) as client:
            barrier.wait()
            path = f"/consortium/applications/{filed['id']}/approve"
            codes.append(client.post(path, headers=api.auth("reviewer")).status_code)

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    assert clean_chain.platform.governance.functions.proposalCount().call() == count + 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"licence_number": ""}, "licenceNumber"),
        ({"licence_number": "91350100M000100Y44"}, "licenceNumber"),
        ({"contact_email": "li.na-at-chayu"}, "contactEmail"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_a_sentence_for_the_field(
    api: LiveApi, changes: dict[str, Any], field: str
) -> None:
    answer = api.client.post("/onboarding/applications", json=application_body(**changes))
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "APPLICATION_INVALID"
    assert [p["field"] for p in body["details"]["problems"]] == [field]
    assert f"{field}: {body['details']['problems'][0]['problem']}" in body["message"]


def test_a_symbol_an_admitted_program_has_is_refused(api: LiveApi) -> None:
    answer = api.client.post("/onboarding/applications", json=application_body(symbol="skym"))
    assert (answer.status_code, answer.json()["code"]) == (422, "APPLICATION_INVALID")
    assert answer.json()["details"]["problems"] == [
        {
            "field": "symbol",
            "problem": "SKYM is already a program's symbol: choose another",
            "type": "taken",
        }
    ]


def test_a_missing_licence_field_is_refused_like_an_empty_one(api: LiveApi) -> None:
    body = application_body()
    del body["licenceNumber"]
    answer = api.client.post("/onboarding/applications", json=body)
    assert (answer.status_code, answer.json()["code"]) == (422, "APPLICATION_INVALID")


def test_an_unknown_reference_is_not_found(api: LiveApi) -> None:
    answer = api.client.get("/onboarding/applications/tdr_not-a-reference-at-all")
    assert (answer.status_code, answer.json()["code"]) == (404, "APPLICATION_NOT_FOUND")


def test_an_unauthenticated_caller_cannot_approve(api: LiveApi, clean_chain: TestChain) -> None:
    filed = apply(api)
    count = clean_chain.platform.governance.functions.proposalCount().call()
    path = f"/consortium/applications/{filed['id']}/approve"
    for headers in (
        {},
        api.auth("SKYM"),  # a merchant's full key is no reviewer's
        api.auth("revoked"),
        {"Authorization": "Bearer tdc_123456789abc_forged"},
    ):
        answer = api.client.post(path, headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (401, "UNAUTHORIZED")
    assert api.client.get("/consortium/applications").status_code == 401
    assert status(api, filed["reference"])["status"] == "pending"
    assert clean_chain.platform.governance.functions.proposalCount().call() == count


def test_a_reviewer_whose_member_key_the_backend_lacks_is_told_and_nothing_changes(
    api: LiveApi, services: Services
) -> None:
    services.settings.member_keys = [SecretStr(MEMBERS[1])]
    filed = apply(api)
    answer = approve(api, filed["id"])
    assert (answer.status_code, answer.json()["code"]) == (503, "MEMBER_KEY_NOT_CONFIGURED")
    assert "TONGDUI_MEMBER_KEYS" in answer.json()["message"]
    assert status(api, filed["reference"])["status"] == "pending"


def test_an_approval_whose_proposal_the_chain_refuses_leaves_the_application_pending(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    """A key bound to an address that is no longer (here: never was) a member: the contract
    refuses the proposal, and the application must not stay "approved" without one."""
    outsider = ANVIL_KEYS[5]
    services.settings.member_keys = [SecretStr(k) for k in (*MEMBERS, outsider)]
    with transaction(services.sessions) as session:
        key = create_consortium_key(session, Account.from_key(outsider).address, "former")
    filed = apply(api)
    answer = api.client.post(
        f"/consortium/applications/{filed['id']}/approve",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "NOT_MEMBER")
    seen = status(api, filed["reference"])
    assert (seen["status"], seen["reviewedAt"], seen["proposal"]) == ("pending", None, None)
    assert approve(api, filed["id"]).status_code == 200  # a member's reviewer still can


def test_a_proposal_sent_but_not_seen_mined_gets_its_id_at_the_next_look(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    """As after a node that answered the send and then stopped answering: the application
    keeps the transaction (sending again could make a second proposal) and learns the id."""
    filed = apply(api)
    governance, registry = clean_chain.platform.governance, clean_chain.platform.registry
    with transaction(services.sessions) as session:
        row = service.by_id(session, filed["id"])
        call = service.admission_call(registry, row)
        row.status, row.reviewer = "approved", "王芳"
    tx_hash = Signer(clean_chain.w3, MEMBERS[0]).transact(
        governance.functions.propose([call], "sent, not seen mined")
    )
    wait_for(clean_chain.w3, [tx_hash])
    with transaction(services.sessions) as session:
        service.by_id(session, filed["id"]).proposal_tx = "0x" + bytes(tx_hash).hex()
    seen = status(api, filed["reference"])
    assert seen["proposal"]["id"] == governance.functions.proposalCount().call()
    assert seen["proposal"]["txHash"] == "0x" + bytes(tx_hash).hex()


def test_reviews_are_in_the_operation_log_with_the_reviewer_and_the_chain_verifies(
    api: LiveApi,
) -> None:
    approved, rejected = apply(api), apply(api, symbol="TEB")
    proposal_id = approve(api, approved["id"]).json()["proposalId"]
    reject(api, rejected["id"], "incomplete")
    approve(api, approved["id"])  # refused: logged as refused
    entries = api.client.get("/consortium/oplog", headers=api.auth("reviewer")).json()["entries"]
    reviews = [e for e in entries if e["action"].startswith("onboarding.")]
    assert [(e["action"], e["target"], e["result"]["status"]) for e in reviews] == [
        ("onboarding.apply", str(approved["id"]), "ok"),
        ("onboarding.apply", str(rejected["id"]), "ok"),
        ("onboarding.approve", str(approved["id"]), "ok"),
        ("onboarding.reject", str(rejected["id"]), "ok"),
        ("onboarding.approve", str(approved["id"]), "refused"),
    ]
    approval = reviews[2]
    member1 = Account.from_key(MEMBERS[0]).address
    assert approval["actor"]["member"] == member1
    assert approval["actor"]["signer"] == member1  # the proposal was signed by that member
    assert approval["actor"]["reviewer"] == "王芳"
    assert approval["actor"]["key_prefix"] == api.keys["reviewer"].split("_")[1]
    assert approval["actor"]["client"] == "127.0.0.1"
    assert approval["result"]["proposal_id"] == proposal_id
    assert approval["result"]["tx_hash"].startswith("0x")
    assert reviews[4]["result"]["code"] == "APPLICATION_ALREADY_REVIEWED"
    assert all(e["merchantToken"] is None for e in entries)
    assert "li.na@chayu.example" not in str(entries)
    verified = api.client.get("/audit/oplog/verify").json()
    assert verified["ok"] and verified["entries"] >= 5


def test_a_reviewer_key_made_in_the_shell_signs_in_and_its_creation_is_logged(
    api: LiveApi, settings: Settings, clean_chain: TestChain
) -> None:
    where = ["--rpc", clean_chain.url, "--data-dir", str(settings.data_dir)]
    made = CliRunner().invoke(app, ["consortium-key", "create", "2", "--label", "张伟", *where])
    assert made.exit_code == 0, made.output
    key = made.output.strip().splitlines()[-1]
    assert key.startswith("tdc_")
    me = api.client.get("/consortium/key", headers={"Authorization": f"Bearer {key}"}).json()
    assert (me["member"], me["label"]) == (Account.from_key(MEMBERS[1]).address, "张伟")
    entries = api.client.get("/consortium/oplog", headers=api.auth("reviewer")).json()["entries"]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("consortium.key.create", key.split("_")[1])
    ]
    assert key not in str(entries)
    revoked = CliRunner().invoke(app, ["consortium-key", "revoke", key.split("_")[1], *where])
    assert revoked.exit_code == 0, revoked.output
    me = api.client.get("/consortium/key", headers={"Authorization": f"Bearer {key}"})
    assert (me.status_code, me.json()["details"]["reason"]) == (401, "revoked")
    not_member = CliRunner().invoke(app, ["consortium-key", "create", "9", *where])
    assert not_member.exit_code == 1 and "NOT_MEMBER" in not_member.output
