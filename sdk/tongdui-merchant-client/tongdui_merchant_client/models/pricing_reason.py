from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pricing_reason_code import PricingReasonCode, check_pricing_reason_code

if TYPE_CHECKING:
    from ..models.pricing_reason_params import PricingReasonParams


T = TypeVar("T", bound="PricingReason")


@_attrs_define
class PricingReason:
    """One reason, as a stable code with its figures; the page words it in zh-CN and English.

    Attributes:
        code (PricingReasonCode):
        params (PricingReasonParams):
    """

    code: PricingReasonCode
    params: PricingReasonParams
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: str = self.code

        params = self.params.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "params": params,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pricing_reason_params import PricingReasonParams  # noqa: PLC0415

        d = dict(src_dict)
        code = check_pricing_reason_code(d.pop("code"))

        params = PricingReasonParams.from_dict(d.pop("params"))

        pricing_reason = cls(
            code=code,
            params=params,
        )

        pricing_reason.additional_properties = d
        return pricing_reason

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
