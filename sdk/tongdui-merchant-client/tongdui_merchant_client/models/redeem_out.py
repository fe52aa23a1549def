from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RedeemOut")


@_attrs_define
class RedeemOut:
    """
    Attributes:
        state (str): redeemed | pending
        tx_hash (str):
        voucher_id (int):
    """

    state: str
    tx_hash: str
    voucher_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        tx_hash = self.tx_hash

        voucher_id = self.voucher_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "txHash": tx_hash,
                "voucherId": voucher_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = d.pop("state")

        tx_hash = d.pop("txHash")

        voucher_id = d.pop("voucherId")

        redeem_out = cls(
            state=state,
            tx_hash=tx_hash,
            voucher_id=voucher_id,
        )

        redeem_out.additional_properties = d
        return redeem_out

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
