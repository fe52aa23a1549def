from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ValueBounds")


@_attrs_define
class ValueBounds:
    """Governance's bounds on this merchant's next point-value change, at ``now``.

    Attributes:
        point_value (int):
        max_value_step_bps (int):
        min_value_interval (int):
        value_changed_at (int):
        next_change_allowed_at (int):
        can_change_now (bool):
        min_allowed_value (int):
        max_allowed_value (int):
        now (int):
    """

    point_value: int
    max_value_step_bps: int
    min_value_interval: int
    value_changed_at: int
    next_change_allowed_at: int
    can_change_now: bool
    min_allowed_value: int
    max_allowed_value: int
    now: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        point_value = self.point_value

        max_value_step_bps = self.max_value_step_bps

        min_value_interval = self.min_value_interval

        value_changed_at = self.value_changed_at

        next_change_allowed_at = self.next_change_allowed_at

        can_change_now = self.can_change_now

        min_allowed_value = self.min_allowed_value

        max_allowed_value = self.max_allowed_value

        now = self.now

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pointValue": point_value,
                "maxValueStepBps": max_value_step_bps,
                "minValueInterval": min_value_interval,
                "valueChangedAt": value_changed_at,
                "nextChangeAllowedAt": next_change_allowed_at,
                "canChangeNow": can_change_now,
                "minAllowedValue": min_allowed_value,
                "maxAllowedValue": max_allowed_value,
                "now": now,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        point_value = d.pop("pointValue")

        max_value_step_bps = d.pop("maxValueStepBps")

        min_value_interval = d.pop("minValueInterval")

        value_changed_at = d.pop("valueChangedAt")

        next_change_allowed_at = d.pop("nextChangeAllowedAt")

        can_change_now = d.pop("canChangeNow")

        min_allowed_value = d.pop("minAllowedValue")

        max_allowed_value = d.pop("maxAllowedValue")

        now = d.pop("now")

        value_bounds = cls(
            point_value=point_value,
            max_value_step_bps=max_value_step_bps,
            min_value_interval=min_value_interval,
            value_changed_at=value_changed_at,
            next_change_allowed_at=next_change_allowed_at,
            can_change_now=can_change_now,
            min_allowed_value=min_allowed_value,
            max_allowed_value=max_allowed_value,
            now=now,
        )

        value_bounds.additional_properties = d
        return value_bounds

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
