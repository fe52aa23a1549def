"""CRM member ids: linked off chain as a keyed hash, issued to by member id, never on chain, and
erasable on request without touching the chain's history (the audit still passes)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from eth_account import Account
from sqlalchemy import select
from web3 import Web3

from tests.chains import TestChain
from tongdui.audit.run import run_audit
from tongdui.bulk.jobs import create_job
from tongdui.bulk.parse import parse_bulk_file
from tongdui.bulk.worker import BulkWorker
from tongdui.chain.transactions import wait_for
from tongdui.members.directory import MemberDirectory, MemberNotLinkedError, load_pepper
from tongdui.members.models import MemberErasure, MemberLink
from tongdui.merchant.actions import MerchantActions
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import Services

from .api_support import MERCHANT_ADMIN_KEYS
from .audit_fixtures import contracts_of

# what a CRM knows of its members; only the member id is ever sent to us
MEMBERS = {
    "VIP-20261202-0042": ("王小明", "+86 138 0013 8000", "xiaoming.wang@example.cn"),
    "VIP-20261202-0043": ("Li Hua", "13900139000", "li.hua@example.com"),
}


def directory(services: Services, session_token: str) -> MemberDirectory:
    return MemberDirectory(
        services.sessions(), load_pepper(services.settings.data_dir), session_token
    )


def chain_bytes(chain: TestChain, first: int) -> bytes:
    """Every transaction input and every log's topics and data from ``first`` to the head."""
    out = bytearray()
    for number in range(first, chain.w3.eth.block_number + 1):
        block = chain.w3.eth.get_block(number, full_transactions=True)
        for tx in block["transactions"]:
            out += bytes(tx["input"])  # type: ignore[index]
            for log in chain.w3.eth.get_transaction_receipt(tx["hash"])["logs"]:  # type: ignore[index]
                out += bytes(log["data"]) + b"".join(bytes(t) for t in log["topics"])
    return bytes(out)


def needles(texts: list[str]) -> list[bytes]:
    """Each text as utf-8 and as the ASCII hex of its utf-8 (as a string field would be)."""
    found: list[bytes] = []
    for text in texts:
        raw = text.encode()
        found += [raw, raw.hex().encode()]
    return found


def database_bytes(services: Services) -> bytes:
    path = Path(services.settings.database_url().split("///", 1)[1])
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_member_hash_is_keyed_per_merchant_and_not_the_plain_sha256(
    services: Services, clean_chain: TestChain
) -> None:
    sky = directory(services, clean_chain.tokens["SKYM"])
    bean = directory(services, clean_chain.tokens["BEAN"])
    member = "VIP-20261202-0042"
    assert sky.member_hash(member) != bean.member_hash(member)
    assert sky.member_hash(member) != Web3.keccak(text=member).hex()

    assert sky.member_hash(member) != hashlib.sha256(member.encode()).hexdigest()


def test_no_calldata_or_event_carries_a_member_id_name_phone_or_email_and_an_erased_member_leaves_no_trace_off_chain(  # noqa: E501
    services: Services, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    first = clean_chain.w3.eth.block_number + 1
    operators = MerchantOperators(services.w3, list(MERCHANT_ADMIN_KEYS.values()))
    wallets = {member: Account.create().address for member in MEMBERS}
    members = directory(services, token)
    for member, wallet in wallets.items():
        members.link(member, wallet)
    hashes = [members.member_hash(member) for member in MEMBERS]

    # issued by member id: one at a time and in a bulk file
    actions = MerchantActions(services.platform, operators, token)
    single = actions.issue(members.resolve("VIP-20261202-0042"), 100)
    wait_for(clean_chain.w3, [bytes.fromhex(single[2:])])
    bulk = json.dumps(
        [
            {"member_id": member, "amount": 50, "idempotency_key": f"crm-{n}"}
            for n, member in enumerate(MEMBERS)
        ]
    ).encode()
    job = create_job(members.session, members, parse_bulk_file(bulk, "json"))
    BulkWorker(services.platform, operators, services.sessions).run(job.id)
    balances = {
        w: clean_chain.platform.points_token(token).functions.balanceOf(w).call()
        for w in wallets.values()
    }
    assert list(balances.values()) == [150, 50]

    personal = [text for member, fields in MEMBERS.items() for text in (member, *fields)]
    on_chain = chain_bytes(clean_chain, first)
    assert len(on_chain) > 0
    for needle in (
        needles(personal) + [h.encode() for h in hashes] + [bytes.fromhex(h) for h in hashes]
    ):
        assert needle not in on_chain, needle

    # the right to erasure: the link goes, the log says so without the id, the chain is as it was
    assert members.erase("VIP-20261202-0042") == 1
    with services.sessions() as session:
        assert session.scalar(select(MemberLink).where(MemberLink.member_hash == hashes[0])) is None
        log = session.scalars(select(MemberErasure)).all()
        assert [(e.merchant_token, e.links_erased) for e in log] == [(token, 1)]
    stored = database_bytes(services)
    for needle in [*needles(personal), hashes[0].encode()]:
        assert needle not in stored, needle
    assert hashes[1].encode() in stored  # the scan can see a hash that is there
    with pytest.raises(MemberNotLinkedError) as refused:
        members.resolve("VIP-20261202-0042")
    assert refused.value.code == "MEMBER_NOT_LINKED"
    for wallet, held in balances.items():
        assert clean_chain.platform.points_token(token).functions.balanceOf(wallet).call() == held
    report = run_audit(
        clean_chain.url, contracts_of(clean_chain), clean_chain.deployment.deployment_block
    )
    assert report.ok, report.text()
