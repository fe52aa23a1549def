"""The audit replays the chain alone, passes on honest history, and names what does not fit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from eth_utils import keccak
from web3 import Web3

from tests.chains import TestChain
from tongdui.audit.replay import Replay
from tongdui.audit.run import replay_chain, run_audit
from tongdui.chain.deployment import save_deployment
from tongdui.chain.rpc import JsonRpc
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS

from .audit_fixtures import SWAPS, contracts_of
from .audit_helpers import _order


def test_the_audit_passes_on_the_clean_demo_chain(clean_chain: TestChain) -> None:
    report = run_audit(
        clean_chain.url, contracts_of(clean_chain), clean_chain.deployment.deployment_block
    )
    assert report.ok, report.text()
    assert report.canonical["state"]["merchants"] == 3


def test_the_audit_passes_on_thousands_of_events_and_reports_its_speed(
    history: TestChain,
) -> None:
    report = run_audit(history.url, contracts_of(history), history.deployment.deployment_block)
    assert report.ok, report.text()
    state = report.canonical["state"]
    assert state["swaps"] == SWAPS + 2  # the batch and the rare events' two
    assert state["ordersChecked"] == state["swaps"]
    assert state["rejections"] == 1
    assert state["feesCharged"] == state["feesCredited"] > 0
    assert all(
        check["ok"] and check["checks"] > 0 for check in report.canonical["invariants"].values()
    )
    print(
        f"\nreplay: {report.canonical['events']} events in "
        f"{report.timing['replaySeconds']} s = {report.timing['eventsPerSecond']:,.0f} events/s"
    )


def test_two_auditors_in_two_processes_get_the_same_digest_and_report_hash(
    history: TestChain,
    tmp_path: Path,
) -> None:
    head = history.w3.eth.block_number
    mine = run_audit(history.url, contracts_of(history), history.deployment.deployment_block, head)
    save_deployment(tmp_path / "deployments", history.deployment)
    out = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("tongdui")),
            "audit",
            "--rpc",
            history.url,
            "--data-dir",
            str(tmp_path),
            "--to-block",
            str(head),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TONGDUI_LOG_CHUNK_SIZE": "7"},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    theirs = json.loads(out.read_text())
    assert theirs["historyDigest"] == mine.canonical["historyDigest"]
    assert theirs["reportHash"] == mine.report_hash
    assert "events/s" in done.stdout


def test_one_more_event_gives_a_different_digest_and_keeps_the_old_one_as_a_prefix(
    history: TestChain,
) -> None:
    snapshot = history.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        contracts = contracts_of(history)
        with JsonRpc(history.url) as rpc:
            before = replay_chain(rpc, contracts, history.deployment.deployment_block)
            admin = Signer(history.w3, ANVIL_KEYS[6])
            token = history.platform.points_token(history.tokens["FRESH"])
            wait_for(history.w3, [admin.transact(token.functions.issue(admin.address, 1))])
            after = replay_chain(
                rpc, contracts, history.deployment.deployment_block, digest_at={before.to_block}
            )
        assert after.events == before.events + 2  # Transfer and Issued
        assert after.digest != before.digest
        assert after.digests_at[before.to_block] == before.digest
    finally:
        history.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def test_a_balance_changed_behind_the_events_back_is_named(history: TestChain) -> None:
    """anvil_setStorageAt writes a balance no event explains. PointsToken keeps each holder's
    header in `_accounts`, storage slot 11 (solc's storageLayout: OpenZeppelin's ERC20,
    EIP712, Nonces, AccessControl and Pausable come first, issuanceSuspended shares Pausable's
    slot 9, then issuerEpoch): with expiry (issue 16) {uint8 freezes, uint16 headKey, uint16
    tailKey, uint104 headAmount, uint104 tailAmount} from the low bits, so the forged header
    is one never-expiring bucket of 10^6 points."""
    user = history.w3.eth.account.from_key(history.user_keys[2]).address
    token = history.tokens["BEAN"]
    accounts_slot = 11
    slot = keccak(bytes(12) + bytes.fromhex(user[2:]) + accounts_slot.to_bytes(32, "big"))
    header = (0xFFFF << 8) | (10**6 << 40)  # headKey NEVER, headAmount 10^6
    snapshot = history.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        history.w3.provider.make_request(  # type: ignore[arg-type]
            "anvil_setStorageAt",
            [token, "0x" + slot.hex(), "0x" + header.to_bytes(32, "big").hex()],
        )
        history.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        report = run_audit(history.url, contracts_of(history), history.deployment.deployment_block)
    finally:
        history.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    assert not report.ok
    named = [f for f in report.findings if f.where == "PointsToken(BEAN).balanceOf"]
    assert named and named[0].key == user and named[0].actual == 10**6
    assert any(f.check == "invariant-1" and f.where == "PointsToken(BEAN)" for f in report.findings)


def test_a_swap_replayed_twice_is_named_as_an_order_executed_twice(history: TestChain) -> None:
    with JsonRpc(history.url) as rpc:
        result = replay_chain(rpc, contracts_of(history), history.deployment.deployment_block)
    replay = Replay(result.replay.settlement_address, result.replay.exchange_address)
    replay.orders = result.replay.orders
    swapped = next(log for log in result.logs if log.name == "Swapped")
    for log in result.logs:
        replay.apply(log)
        if log is swapped:
            replay.apply(log)
    twice = [f for f in replay.findings if f.check == "invariant-4" and f.field == "nonce"]
    assert len(twice) == 1 and "executed twice" in twice[0].message


def _mine_one(chain: TestChain, call: object, key: str) -> None:
    wait_for(chain.w3, [Signer(chain.w3, key).transact(call)])


def test_stray_settlement_transfer_is_reported_as_surplus_not_a_violation(
    clean_chain: TestChain,
) -> None:
    # The attack: one unit of sCNY sent straight to the exchange broke, forever, the custody
    # identity the audit checked with strict equality: every later audit failed.
    chain = clean_chain
    settlement = chain.platform.settlement
    settler = Signer(chain.w3, ANVIL_KEYS[7])
    _mine_one(
        chain, settlement.functions.mint(settler.address, 1, keccak(text="stray")), ANVIL_KEYS[7]
    )
    exchange = chain.platform.exchange.address
    _mine_one(chain, settlement.functions.transfer(exchange, 1), ANVIL_KEYS[7])

    report = run_audit(chain.url, contracts_of(chain), chain.deployment.deployment_block)

    assert report.ok, report.text()
    assert report.canonical["state"]["settlementSurplus"] == 1
    assert "surplus 1 sCNY" in report.text()


def test_forged_rejection_does_not_touch_the_named_owners_nonces_in_the_audit(
    clean_chain: TestChain,
) -> None:
    # The attack: a relayer settles an "order" of a victim with a junk signature; the
    # exchange's OrderRejected names the victim and a nonce. The audit must not count that
    # nonce as the victim's, nor the rejection as the victim's history.
    chain = clean_chain
    order, _ = _order(chain, 0, ("SKYM", "BEAN"), 1_000, 424_242)
    settle = chain.platform.exchange.functions.settle([order], [b"\x00" * 65])
    _mine_one(chain, settle, ANVIL_KEYS[8])

    with JsonRpc(chain.url) as rpc:
        result = replay_chain(rpc, contracts_of(chain), chain.deployment.deployment_block)
    report = run_audit(chain.url, contracts_of(chain), chain.deployment.deployment_block)

    assert report.ok, report.text()
    assert report.canonical["state"]["rejections"] == 1
    assert result.replay.used_nonce_rows == []
    rejected = [log for log in result.logs if log.name == "OrderRejected"]
    assert len(rejected) == 1 and not rejected[0].args["nonceConsumed"]


def test_a_signed_rejection_uses_the_nonce_in_the_audit_as_on_chain(
    clean_chain: TestChain,
) -> None:
    chain = clean_chain
    # 99 FRESH are worth 99 fen, under the minimum order: rejected after the signature.
    order, signature = _order(chain, 2, ("FRESH", "SKYM"), 99, 515)
    _mine_one(chain, chain.platform.exchange.functions.settle([order], [signature]), ANVIL_KEYS[8])

    report = run_audit(chain.url, contracts_of(chain), chain.deployment.deployment_block)

    assert report.ok, report.text()
    with JsonRpc(chain.url) as rpc:
        result = replay_chain(rpc, contracts_of(chain), chain.deployment.deployment_block)
    assert [row["source"] for row in result.replay.used_nonce_rows] == ["reject"]


def test_a_voucher_paid_with_another_programs_points_counts_in_the_replayed_user_limit(
    history: TestChain,
) -> None:
    """Regression: the replay priced ``VoucherPaid`` as a swap but left the owner's decaying
    limit window alone, so ``userState.limitUsed`` differed from the chain (invariant-5)."""
    with JsonRpc(history.url) as rpc:
        result = replay_chain(rpc, contracts_of(history), history.deployment.deployment_block)
    paid = [log for log in result.logs if log.name == "VoucherPaid"]
    assert paid, "the history has a voucher paid with another program's points"
    owner = paid[-1].args["owner"]
    state = history.platform.exchange.functions.userState(Web3.to_checksum_address(owner)).call()
    on_chain = dict(zip(("limitUpdatedAt", "limitUsed"), state[-2:], strict=True))
    updated_at, used = result.replay.windows[owner]
    assert (updated_at, used) == (on_chain["limitUpdatedAt"], on_chain["limitUsed"])
    assert paid[-1].timestamp == updated_at
