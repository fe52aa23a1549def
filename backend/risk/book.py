"""The facts the rules need for a group of requests, read in the owners' serialized
transaction (so a burst sent at once is counted as one), and kept current as the group's own
requests are accepted, as ``relayer.order_store.PendingBook`` keeps the pending amounts.

Cost: nothing when no live rule applies to the group; else one statement for the addresses'
recent uses and first sightings (only the parts the rules need), and, only while a
member-velocity rule applies, one for the owners' member links and one for those members'
recent uses. No network round trip: everything is in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Select,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from ..members.models import MemberLink
from ..relayer.models import RelayerOrder, RelayerRequest
from .models import RiskMemberUse
from .rules import Facts, Kind, Rule, Verdict, evaluate, needs

# Built once, as order_store's: constructing a statement per call costs more than running it.
_OWNERS: BindParameter[Any] = bindparam("owners", expanding=True)
_SINCE: BindParameter[Any] = bindparam("since")


def _address_parts(uses: bool, first: bool) -> CompoundSelect[Any]:
    """Recent uses ('u', owner, at) and first sightings ('f', owner, min at) of the owners, in
    orders and gifts: only the parts the rules need."""
    parts: list[Select[Any]] = []
    for table, kind in ((RelayerOrder, ()), (RelayerRequest, (RelayerRequest.kind == "gift",))):
        if uses:
            parts.append(
                select(literal_column("'u'"), table.owner, table.created_at).where(
                    table.owner.in_(_OWNERS), table.created_at > _SINCE, *kind
                )
            )
        if first:
            parts.append(
                select(literal_column("'f'"), table.owner, func.min(table.created_at))
                .where(table.owner.in_(_OWNERS), *kind)
                .group_by(table.owner)
            )
    return union_all(*parts)


_ADDRESS_FACTS = {
    (uses, first): _address_parts(uses, first)
    for uses in (True, False)
    for first in (True, False)
    if uses or first
}
_LINKS = select(MemberLink.merchant_token, MemberLink.address, MemberLink.member_hash).where(
    MemberLink.merchant_token.in_(bindparam("tokens", expanding=True)),
    MemberLink.address.in_(_OWNERS),
)
_MEMBER_USES = (
    select(RiskMemberUse.merchant_token, RiskMemberUse.member_hash, RiskMemberUse.at)
    .where(
        RiskMemberUse.merchant_token.in_(bindparam("tokens", expanding=True)),
        RiskMemberUse.member_hash.in_(bindparam("hashes", expanding=True)),
        RiskMemberUse.at > _SINCE,
    )
    .order_by(RiskMemberUse.at.desc())
)


@dataclass(frozen=True, slots=True)
class Request:
    """An order or gift as the rules see it."""

    subject: str  # order | gift
    subject_hash: str
    owner: str
    from_token: str
    to_token: str  # a gift's token twice
    amount: int
    counterparty: str | None = None  # a gift's recipient

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.from_token, self.to_token)))


def _touches(rule: Rule, requests: list[Request]) -> bool:
    return rule.merchant_token is None or any(rule.merchant_token in r.tokens for r in requests)


class RiskBook:
    """Judges each request of a group against the live rules (see the module docstring)."""

    def __init__(self, session: Session, rules: list[Rule], requests: list[Request], now: float):
        self.session, self.now = session, now
        self.connection = session.connection()  # Core reads: no ORM layer per statement
        self.rules = [r for r in rules if _touches(r, requests)]
        self.need = needs(self.rules)
        self.address_uses: dict[str, list[float]] = {}
        self.first_seen: dict[str, float] = {}
        self.members: dict[tuple[str, str], list[str]] = {}  # (token, owner) → member hashes
        self.member_uses: dict[tuple[str, str], list[float]] = {}  # (token, member) → times
        self.new_member_uses: list[dict[str, Any]] = []
        owners = sorted({r.owner for r in requests})
        if self.rules and (self.need.address_uses or self.need.first_seen):
            self._load_addresses(owners)
        if self.need.member_uses:
            self._load_members(owners, requests)

    def _load_addresses(self, owners: list[str]) -> None:
        statement = _ADDRESS_FACTS[bool(self.need.address_uses), self.need.first_seen]
        rows = self.connection.execute(
            statement, {"owners": owners, "since": self.now - self.need.address_window}
        )
        for part, owner, at in rows:
            if at is None:
                continue
            if part == "u":
                self.address_uses.setdefault(owner, []).append(float(at))
            else:
                self.first_seen[owner] = min(float(at), self.first_seen.get(owner, float(at)))
        for uses in self.address_uses.values():
            uses.sort(reverse=True)

    def _load_members(self, owners: list[str], requests: list[Request]) -> None:
        everywhere = None in self.need.member_tokens
        tokens = sorted(
            {t for r in requests for t in r.tokens}
            if everywhere
            else {t for t in self.need.member_tokens if t is not None}
        )
        links = self.connection.execute(_LINKS, {"tokens": tokens, "owners": owners}).all()
        for token, address, member in links:
            self.members.setdefault((token, address), []).append(member)
        hashes = sorted({member for _, _, member in links})
        if not hashes:
            return
        rows = self.connection.execute(
            _MEMBER_USES,
            {
                "tokens": sorted({token for token, _, _ in links}),
                "hashes": hashes,
                "since": self.now - self.need.member_window,
            },
        )
        for token, member, at in rows:
            self.member_uses.setdefault((token, member), []).append(float(at))

    def facts(self, request: Request) -> Facts:
        limit = self.need.address_uses
        member_uses = {
            token: tuple(
                tuple(self.member_uses.get((token, m), ())[: self.need.member_uses])
                for m in self.members[token, request.owner]
            )
            for token in request.tokens
            if (token, request.owner) in self.members
        }
        return Facts(
            owner=request.owner,
            tokens=request.tokens,
            amount=request.amount,
            now=self.now,
            counterparty=request.counterparty,
            address_uses=tuple(self.address_uses.get(request.owner, ())[:limit]),
            member_uses=member_uses,
            first_seen=self.first_seen.get(request.owner),
        )

    def judge(self, request: Request) -> Verdict | None:
        if not self.rules:
            return None
        return evaluate(self.rules, self.facts(request))

    def accepted(self, request: Request) -> None:
        """Counts an accepted (queued or held) request, for the rest of the group and, while
        a member rule applies, for good (``flush``)."""
        self.address_uses.setdefault(request.owner, []).insert(0, self.now)
        self.first_seen.setdefault(request.owner, self.now)
        member_rules = [r for r in self.rules if r.kind == Kind.VELOCITY_MEMBER]
        for token in request.tokens:
            if not any(r.merchant_token in (None, token) for r in member_rules):
                continue
            for member in self.members.get((token, request.owner), ()):
                self.member_uses.setdefault((token, member), []).insert(0, self.now)
                self.new_member_uses.append(
                    {
                        "merchant_token": token,
                        "member_hash": member,
                        "address": request.owner,
                        "at": self.now,
                    }
                )

    def flush(self) -> None:
        if self.new_member_uses:
            self.connection.execute(insert(RiskMemberUse), self.new_member_uses)
            self.new_member_uses = []
