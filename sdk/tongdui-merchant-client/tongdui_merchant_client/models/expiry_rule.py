from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExpiryRule")


@_attrs_define
class ExpiryRule:
    """
    Attributes:
        validity_months (int): months new points stay valid; 0: never expire
        rounding_months (int): rounded up to the end of the month (1), quarter (3), half year (6) or year (12); 0 with
            validityMonths 0 (the default)
        current_key (int): the expiry key points issued now get (65535: never)
        current_last_day (None | str): the last day points issued now can be spent (ISO date; null: never)
    """

    validity_months: int
    rounding_months: int
    current_key: int
    current_last_day: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        validity_months = self.validity_months

        rounding_months = self.rounding_months

        current_key = self.current_key

        current_last_day: None | str
        current_last_day = self.current_last_day

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "validityMonths": validity_months,
                "roundingMonths": rounding_months,
                "currentKey": current_key,
                "currentLastDay": current_last_day,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        validity_months = d.pop("validityMonths")

        rounding_months = d.pop("roundingMonths")

        current_key = d.pop("currentKey")

        def _parse_current_last_day(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current_last_day = _parse_current_last_day(d.pop("currentLastDay"))

        expiry_rule = cls(
            validity_months=validity_months,
            rounding_months=rounding_months,
            current_key=current_key,
            current_last_day=current_last_day,
        )

        expiry_rule.additional_properties = d
        return expiry_rule

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
