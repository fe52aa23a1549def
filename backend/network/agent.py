"""The sealer agent: keeps its node's Clique votes in line with the consortium's membership.

One agent runs beside each member's node. A member's governance address IS its node's sealer
account (the key in the node's keystore signs both its blocks and its votes), so "who may seal"
and "who may vote" are the same list: ``ConsortiumGovernance.members()``.

Each pass the agent reads that list (``confirmations`` blocks behind the head, so a vote that
a short reorg undoes is not acted on), compares it with Clique's signers, and asks its node to
``clique_propose(address, true)`` for a member that does not seal yet and
``clique_propose(address, false)`` for a sealer that is no longer a member; a proposal that
has carried is discarded. Its node puts the vote in the next block it seals; Clique applies
it once a majority of the current sealers voted the same way (so every sealer's agent must
run, or at least a majority of them).

It compares states rather than replaying ``MemberAdded`` / ``MemberRemoved`` events, so a
restarted agent or a missed event cannot leave the sealer set behind; the events are what it
reports in its log.
"""

from __future__ import annotations

import argparse
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address
from web3 import HTTPProvider, Web3

from ..chain.artifacts import abi

log = logging.getLogger("tongdui.network.agent")


@dataclass(frozen=True)
class Vote:
    address: str
    authorize: bool


class SealerAgent:
    """Casts one node's Clique votes so that the signer set follows governance."""

    def __init__(self, rpc_url: str, governance: str, confirmations: int = 2) -> None:
        self.w3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": 5}))
        self.rpc_url = rpc_url
        self.governance = self.w3.eth.contract(
            address=to_checksum_address(governance), abi=abi("ConsortiumGovernance")
        )
        self.confirmations = confirmations
        self._seen_block: int | None = None

    def _call(self, method: str, params: list[Any]) -> Any:
        answer = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if "error" in answer:
            raise RuntimeError(f"{method} on {self.rpc_url}: {answer['error']}")
        return answer["result"]

    def members(self, block: int) -> set[str]:
        return {
            str(m).lower() for m in self.governance.functions.members().call(block_identifier=block)
        }

    def signers(self) -> set[str]:
        return {str(s).lower() for s in self._call("clique_getSigners", ["latest"])}

    def proposals(self) -> dict[str, bool]:
        return {str(a).lower(): bool(v) for a, v in self._call("clique_proposals", []).items()}

    def wanted_votes(self) -> list[Vote]:
        """The votes that would bring the signers to the members' list."""
        block = max(0, int(self.w3.eth.block_number) - self.confirmations)
        members, signers = self.members(block), self.signers()
        votes = [Vote(a, True) for a in sorted(members - signers)]
        votes += [Vote(a, False) for a in sorted(signers - members)]
        return votes

    def run_once(self) -> list[Vote]:
        """One pass: casts missing votes, discards carried ones; returns the votes cast."""
        self._report_events()
        wanted = self.wanted_votes()
        proposals = self.proposals()
        cast = []
        for vote in wanted:
            if proposals.get(vote.address) is not vote.authorize:
                self._call("clique_propose", [to_checksum_address(vote.address), vote.authorize])
                log.info("voted %s %s", "in" if vote.authorize else "out", vote.address)
                cast.append(vote)
        still_wanted = {v.address for v in wanted}
        for address in proposals:
            if address not in still_wanted:
                self._call("clique_discard", [to_checksum_address(address)])
        return cast

    def _report_events(self) -> None:
        head = int(self.w3.eth.block_number)
        start = head if self._seen_block is None else self._seen_block + 1
        if start > head:
            return
        for name in ("MemberAdded", "MemberRemoved"):
            event = getattr(self.governance.events, name)
            for entry in event.get_logs(from_block=start, to_block=head):
                log.info("%s %s at block %s", name, entry["args"]["member"], entry["blockNumber"])
        self._seen_block = head

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception as error:  # the node restarts or is stopped: try again later
                log.warning("sealer agent pass failed: %s", error)
            stop.wait(interval)


def main(argv: list[str] | None = None) -> None:
    """``python -m tongdui.network.agent``: one agent process, as the network starts it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rpc", required=True)
    parser.add_argument("--governance", required=True)
    parser.add_argument("--confirmations", type=int, default=2)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(
        filename=args.log,
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    import signal

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    SealerAgent(args.rpc, args.governance, args.confirmations).run(stop)


if __name__ == "__main__":
    main()
