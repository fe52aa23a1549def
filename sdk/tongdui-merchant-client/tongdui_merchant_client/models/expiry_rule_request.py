from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExpiryRuleRequest")


@_attrs_define
class ExpiryRuleRequest:
    """
    Attributes:
        validity_months (int): 0 (never expire) to 1200
        rounding_months (int): 1, 3, 6 or 12 (0 with 0 months)
    """

    validity_months: int
    rounding_months: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        validity_months = self.validity_months

        rounding_months = self.rounding_months

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "validityMonths": validity_months,
                "roundingMonths": rounding_months,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        validity_months = d.pop("validityMonths")

        rounding_months = d.pop("roundingMonths")

        expiry_rule_request = cls(
            validity_months=validity_months,
            rounding_months=rounding_months,
        )

        expiry_rule_request.additional_properties = d
        return expiry_rule_request

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
