from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.expiry_rule_tx_status import ExpiryRuleTxStatus, check_expiry_rule_tx_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.expiry_rule import ExpiryRule


T = TypeVar("T", bound="ExpiryRuleTx")


@_attrs_define
class ExpiryRuleTx:
    """
    Attributes:
        tx_hash (str):
        status (ExpiryRuleTxStatus):
        validity_months (int):
        rounding_months (int):
        previous (ExpiryRule):
        block_number (int | None | Unset):
        gas_used (int | None | Unset):
    """

    tx_hash: str
    status: ExpiryRuleTxStatus
    validity_months: int
    rounding_months: int
    previous: ExpiryRule
    block_number: int | None | Unset = UNSET
    gas_used: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tx_hash = self.tx_hash

        status: str = self.status

        validity_months = self.validity_months

        rounding_months = self.rounding_months

        previous = self.previous.to_dict()

        block_number: int | None | Unset
        if isinstance(self.block_number, Unset):
            block_number = UNSET
        else:
            block_number = self.block_number

        gas_used: int | None | Unset
        if isinstance(self.gas_used, Unset):
            gas_used = UNSET
        else:
            gas_used = self.gas_used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "txHash": tx_hash,
                "status": status,
                "validityMonths": validity_months,
                "roundingMonths": rounding_months,
                "previous": previous,
            }
        )
        if block_number is not UNSET:
            field_dict["blockNumber"] = block_number
        if gas_used is not UNSET:
            field_dict["gasUsed"] = gas_used

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.expiry_rule import ExpiryRule  # noqa: PLC0415

        d = dict(src_dict)
        tx_hash = d.pop("txHash")

        status = check_expiry_rule_tx_status(d.pop("status"))

        validity_months = d.pop("validityMonths")

        rounding_months = d.pop("roundingMonths")

        previous = ExpiryRule.from_dict(d.pop("previous"))

        def _parse_block_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        block_number = _parse_block_number(d.pop("blockNumber", UNSET))

        def _parse_gas_used(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        gas_used = _parse_gas_used(d.pop("gasUsed", UNSET))

        expiry_rule_tx = cls(
            tx_hash=tx_hash,
            status=status,
            validity_months=validity_months,
            rounding_months=rounding_months,
            previous=previous,
            block_number=block_number,
            gas_used=gas_used,
        )

        expiry_rule_tx.additional_properties = d
        return expiry_rule_tx

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
