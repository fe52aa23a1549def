from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MerchantStats")


@_attrs_define
class MerchantStats:
    """
    Attributes:
        token (str):
        symbol (str):
        swaps_out (int):
        points_out (int):
        value_out (int):
        swaps_in (int):
        points_in (int):
        value_in (int):
        fees_paid (int):
        fees_earned (int):
        swap_users (int):
        holders (int):
        issues (int):
        points_issued (int):
        redemptions (int):
        points_redeemed (int):
        points_outstanding (int):
        settlement_balance (int):
        fee_credit (int):
        since (int | None):
        until (int | None):
        as_of_block (int | None):
    """

    token: str
    symbol: str
    swaps_out: int
    points_out: int
    value_out: int
    swaps_in: int
    points_in: int
    value_in: int
    fees_paid: int
    fees_earned: int
    swap_users: int
    holders: int
    issues: int
    points_issued: int
    redemptions: int
    points_redeemed: int
    points_outstanding: int
    settlement_balance: int
    fee_credit: int
    since: int | None
    until: int | None
    as_of_block: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        symbol = self.symbol

        swaps_out = self.swaps_out

        points_out = self.points_out

        value_out = self.value_out

        swaps_in = self.swaps_in

        points_in = self.points_in

        value_in = self.value_in

        fees_paid = self.fees_paid

        fees_earned = self.fees_earned

        swap_users = self.swap_users

        holders = self.holders

        issues = self.issues

        points_issued = self.points_issued

        redemptions = self.redemptions

        points_redeemed = self.points_redeemed

        points_outstanding = self.points_outstanding

        settlement_balance = self.settlement_balance

        fee_credit = self.fee_credit

        since: int | None
        since = self.since

        until: int | None
        until = self.until

        as_of_block: int | None
        as_of_block = self.as_of_block

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "symbol": symbol,
                "swapsOut": swaps_out,
                "pointsOut": points_out,
                "valueOut": value_out,
                "swapsIn": swaps_in,
                "pointsIn": points_in,
                "valueIn": value_in,
                "feesPaid": fees_paid,
                "feesEarned": fees_earned,
                "swapUsers": swap_users,
                "holders": holders,
                "issues": issues,
                "pointsIssued": points_issued,
                "redemptions": redemptions,
                "pointsRedeemed": points_redeemed,
                "pointsOutstanding": points_outstanding,
                "settlementBalance": settlement_balance,
                "feeCredit": fee_credit,
                "since": since,
                "until": until,
                "asOfBlock": as_of_block,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        symbol = d.pop("symbol")

        swaps_out = d.pop("swapsOut")

        points_out = d.pop("pointsOut")

        value_out = d.pop("valueOut")

        swaps_in = d.pop("swapsIn")

        points_in = d.pop("pointsIn")

        value_in = d.pop("valueIn")

        fees_paid = d.pop("feesPaid")

        fees_earned = d.pop("feesEarned")

        swap_users = d.pop("swapUsers")

        holders = d.pop("holders")

        issues = d.pop("issues")

        points_issued = d.pop("pointsIssued")

        redemptions = d.pop("redemptions")

        points_redeemed = d.pop("pointsRedeemed")

        points_outstanding = d.pop("pointsOutstanding")

        settlement_balance = d.pop("settlementBalance")

        fee_credit = d.pop("feeCredit")

        def _parse_since(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        since = _parse_since(d.pop("since"))

        def _parse_until(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        until = _parse_until(d.pop("until"))

        def _parse_as_of_block(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        as_of_block = _parse_as_of_block(d.pop("asOfBlock"))

        merchant_stats = cls(
            token=token,
            symbol=symbol,
            swaps_out=swaps_out,
            points_out=points_out,
            value_out=value_out,
            swaps_in=swaps_in,
            points_in=points_in,
            value_in=value_in,
            fees_paid=fees_paid,
            fees_earned=fees_earned,
            swap_users=swap_users,
            holders=holders,
            issues=issues,
            points_issued=points_issued,
            redemptions=redemptions,
            points_redeemed=points_redeemed,
            points_outstanding=points_outstanding,
            settlement_balance=settlement_balance,
            fee_credit=fee_credit,
            since=since,
            until=until,
            as_of_block=as_of_block,
        )

        merchant_stats.additional_properties = d
        return merchant_stats

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
