"""The risk rules as pure functions: what a rule is, what intake knows when it asks, and
which rule an order or gift trips. No I/O here (``store`` loads rules and facts, ``intake``
acts on the verdict).

Why refusals before holds: when one request trips a rule that refuses and another that holds,
holding it would only make a reviewer refuse it later; the person hears the refusal at once.
Among rules of one action the first configured (lowest id) names the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..core.error_codes import ErrorCode


class Kind(StrEnum):
    """What a rule looks at."""

    VELOCITY_ADDRESS = "velocity_address"  # more than max_count uses of one address in window
    VELOCITY_MEMBER = "velocity_member"  # … of one CRM member, whatever address it used
    AMOUNT = "amount"  # a single order's or gift's points above max_amount
    COOLING = "cooling"  # an address first seen less than window seconds ago
    BLOCKLIST = "blocklist"  # the owner (or a gift's recipient) is on the list


class Action(StrEnum):
    HOLD = "hold"  # stored as ``held`` until a reviewer releases or refuses it
    REFUSE = "refuse"  # refused at intake with the rule's code


CODES: dict[Kind, ErrorCode] = {
    Kind.VELOCITY_ADDRESS: ErrorCode.RISK_VELOCITY,
    Kind.VELOCITY_MEMBER: ErrorCode.RISK_VELOCITY,
    Kind.AMOUNT: ErrorCode.RISK_AMOUNT,
    Kind.COOLING: ErrorCode.RISK_COOLING,
    Kind.BLOCKLIST: ErrorCode.RISK_BLOCKED,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One configured rule. ``merchant_token`` None: the consortium-wide default, applied to
    every request; otherwise it applies to requests that spend or receive that token."""

    id: int
    kind: Kind
    action: Action
    merchant_token: str | None = None
    max_count: int = 0  # velocity: uses allowed in the window (this one included)
    window: int = 0  # seconds: velocity's window, cooling's length
    max_amount: int = 0  # amount: the largest single request, in points
    addresses: frozenset[str] = frozenset()  # blocklist, checksummed

    @property
    def code(self) -> ErrorCode:
        return CODES[self.kind]


@dataclass(frozen=True, slots=True)
class Facts:
    """What intake knows about one request when the rules are asked.

    ``address_uses`` are the times (unix seconds) of the address's earlier uses, newest first,
    as many as the strictest velocity rule needs (``needs``); ``member_uses`` the same for each
    CRM member the owner is linked to, by merchant token (no entry: not linked there);
    ``first_seen`` is when the address was first seen here (None: never, so this is its first
    use)."""

    owner: str
    tokens: tuple[str, ...]  # the merchant tokens the request touches
    amount: int
    now: float
    counterparty: str | None = None  # a gift's recipient
    address_uses: tuple[float, ...] = ()
    member_uses: dict[str, tuple[tuple[float, ...], ...]] = field(default_factory=dict)
    first_seen: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: Rule
    message: str

    @property
    def code(self) -> ErrorCode:
        return self.rule.code

    @property
    def refused(self) -> bool:
        return self.rule.action == Action.REFUSE


def applies(rule: Rule, facts: Facts) -> bool:
    return rule.merchant_token is None or rule.merchant_token in facts.tokens


def _within(uses: tuple[float, ...], now: float, window: int) -> int:
    return sum(1 for at in uses if at > now - window)


def tripped(rule: Rule, facts: Facts) -> str | None:
    """The sentence saying why ``facts`` trip ``rule`` (None: they do not)."""
    if not applies(rule, facts):
        return None
    if rule.kind == Kind.BLOCKLIST:
        for who in (facts.owner, facts.counterparty):
            if who is not None and who in rule.addresses:
                return f"The address {who} is on a block list; contact the merchant."
        return None
    if rule.kind == Kind.AMOUNT:
        if facts.amount > rule.max_amount:
            return (
                f"{facts.amount} points is above the {rule.max_amount} one request may move "
                "without review; split it or contact the merchant."
            )
        return None
    if rule.kind == Kind.COOLING:
        first = facts.now if facts.first_seen is None else facts.first_seen
        if facts.now - first < rule.window:
            return (
                f"This address is new here (first seen {int(facts.now - first)} s ago; new "
                f"addresses wait {rule.window} s): it is held for review or try again later."
            )
        return None
    if rule.kind == Kind.VELOCITY_ADDRESS:
        count = _within(facts.address_uses, facts.now, rule.window) + 1
    else:  # per member: the busiest member linked to the owner at the rule's merchant(s)
        tokens = facts.tokens if rule.merchant_token is None else (rule.merchant_token,)
        counts = [
            _within(uses, facts.now, rule.window)
            for token in tokens
            for uses in facts.member_uses.get(token, ())
        ]
        if not counts:  # the owner is linked to no member there
            return None
        count = max(counts) + 1
    if count > rule.max_count:
        who = "address" if rule.kind == Kind.VELOCITY_ADDRESS else "member"
        return (
            f"This is use {count} of this {who} within {rule.window} s, above the "
            f"{rule.max_count} allowed; wait a while before the next."
        )
    return None


def evaluate(rules: list[Rule], facts: Facts) -> Verdict | None:
    """The verdict of the first tripped refusing rule, else of the first tripped holding one."""
    held: Verdict | None = None
    for rule in sorted(rules, key=lambda r: r.id):
        message = tripped(rule, facts)
        if message is None:
            continue
        if rule.action == Action.REFUSE:
            return Verdict(rule, message)
        held = held or Verdict(rule, message)
    return held


@dataclass(slots=True)
class Needs:
    """Which facts a rule set needs, so that intake reads nothing the rules do not use."""

    address_uses: int = 0  # how many recent uses to read (0: none)
    address_window: int = 0
    member_uses: int = 0
    member_window: int = 0
    member_tokens: set[str | None] = field(default_factory=set)  # None: every merchant
    first_seen: bool = False


def needs(rules: list[Rule]) -> Needs:
    """The strictest velocity rule's count bounds what must be read: the newest
    ``max_count`` earlier uses decide every rule whose count is at most that."""
    need = Needs()
    for rule in rules:
        if rule.kind == Kind.VELOCITY_ADDRESS:
            need.address_uses = max(need.address_uses, rule.max_count)
            need.address_window = max(need.address_window, rule.window)
        elif rule.kind == Kind.VELOCITY_MEMBER:
            need.member_uses = max(need.member_uses, rule.max_count)
            need.member_window = max(need.member_window, rule.window)
            need.member_tokens.add(rule.merchant_token)
        elif rule.kind == Kind.COOLING:
            need.first_seen = True
    return need
