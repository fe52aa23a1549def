from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.redemption_fields import RedemptionFields


T = TypeVar("T", bound="RedemptionIn")


@_attrs_define
class RedemptionIn:
    """The holder's signed ``VoucherRedemption`` (the QR code the till scans).

    Attributes:
        redemption (RedemptionFields):
        signature (str): 65-byte r‖s‖v signature, 0x-hex
    """

    redemption: RedemptionFields
    signature: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        redemption = self.redemption.to_dict()

        signature = self.signature

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "redemption": redemption,
                "signature": signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redemption_fields import RedemptionFields  # noqa: PLC0415

        d = dict(src_dict)
        redemption = RedemptionFields.from_dict(d.pop("redemption"))

        signature = d.pop("signature")

        redemption_in = cls(
            redemption=redemption,
            signature=signature,
        )

        redemption_in.additional_properties = d
        return redemption_in

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
