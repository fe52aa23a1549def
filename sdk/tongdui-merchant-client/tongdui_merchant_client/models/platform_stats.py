from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlatformStats")


@_attrs_define
class PlatformStats:
    """
    Attributes:
        swaps (int):
        volume (int):
        volume_cny (str):
        fees (int):
        platform_fees (int):
        merchant_fees (int):
        relayer_fees (int):
        swap_users (int):
        holders (int):
        merchants (int):
        rejected_orders (int):
        since (int | None):
        until (int | None):
        as_of_block (int | None):
    """

    swaps: int
    volume: int
    volume_cny: str
    fees: int
    platform_fees: int
    merchant_fees: int
    relayer_fees: int
    swap_users: int
    holders: int
    merchants: int
    rejected_orders: int
    since: int | None
    until: int | None
    as_of_block: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        swaps = self.swaps

        volume = self.volume

        volume_cny = self.volume_cny

        fees = self.fees

        platform_fees = self.platform_fees

        merchant_fees = self.merchant_fees

        relayer_fees = self.relayer_fees

        swap_users = self.swap_users

        holders = self.holders

        merchants = self.merchants

        rejected_orders = self.rejected_orders

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
                "swaps": swaps,
                "volume": volume,
                "volumeCny": volume_cny,
                "fees": fees,
                "platformFees": platform_fees,
                "merchantFees": merchant_fees,
                "relayerFees": relayer_fees,
                "swapUsers": swap_users,
                "holders": holders,
                "merchants": merchants,
                "rejectedOrders": rejected_orders,
                "since": since,
                "until": until,
                "asOfBlock": as_of_block,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        swaps = d.pop("swaps")

        volume = d.pop("volume")

        volume_cny = d.pop("volumeCny")

        fees = d.pop("fees")

        platform_fees = d.pop("platformFees")

        merchant_fees = d.pop("merchantFees")

        relayer_fees = d.pop("relayerFees")

        swap_users = d.pop("swapUsers")

        holders = d.pop("holders")

        merchants = d.pop("merchants")

        rejected_orders = d.pop("rejectedOrders")

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

        platform_stats = cls(
            swaps=swaps,
            volume=volume,
            volume_cny=volume_cny,
            fees=fees,
            platform_fees=platform_fees,
            merchant_fees=merchant_fees,
            relayer_fees=relayer_fees,
            swap_users=swap_users,
            holders=holders,
            merchants=merchants,
            rejected_orders=rejected_orders,
            since=since,
            until=until,
            as_of_block=as_of_block,
        )

        platform_stats.additional_properties = d
        return platform_stats

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
