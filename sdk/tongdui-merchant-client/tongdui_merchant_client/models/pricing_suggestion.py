from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pricing_day import PricingDay
    from ..models.pricing_reason import PricingReason
    from ..models.value_bounds import ValueBounds


T = TypeVar("T", bound="PricingSuggestion")


@_attrs_define
class PricingSuggestion:
    """A suggested point value within governance's bounds; accept it with PUT point-value.

    Attributes:
        current_value (int):
        suggested_value (int):
        change_bps (int):
        can_accept_now (bool):
        next_change_allowed_at (int):
        cover_ratio_bps (int | None):
        window_days (int):
        reasons (list[PricingReason]):
        bounds (ValueBounds): Governance's bounds on this merchant's next point-value change, at ``now``.
        series (list[PricingDay]):
    """

    current_value: int
    suggested_value: int
    change_bps: int
    can_accept_now: bool
    next_change_allowed_at: int
    cover_ratio_bps: int | None
    window_days: int
    reasons: list[PricingReason]
    bounds: ValueBounds
    series: list[PricingDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_value = self.current_value

        suggested_value = self.suggested_value

        change_bps = self.change_bps

        can_accept_now = self.can_accept_now

        next_change_allowed_at = self.next_change_allowed_at

        cover_ratio_bps: int | None
        cover_ratio_bps = self.cover_ratio_bps

        window_days = self.window_days

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)

        bounds = self.bounds.to_dict()

        series = []
        for series_item_data in self.series:
            series_item = series_item_data.to_dict()
            series.append(series_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currentValue": current_value,
                "suggestedValue": suggested_value,
                "changeBps": change_bps,
                "canAcceptNow": can_accept_now,
                "nextChangeAllowedAt": next_change_allowed_at,
                "coverRatioBps": cover_ratio_bps,
                "windowDays": window_days,
                "reasons": reasons,
                "bounds": bounds,
                "series": series,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pricing_day import PricingDay  # noqa: PLC0415
        from ..models.pricing_reason import PricingReason  # noqa: PLC0415
        from ..models.value_bounds import ValueBounds  # noqa: PLC0415

        d = dict(src_dict)
        current_value = d.pop("currentValue")

        suggested_value = d.pop("suggestedValue")

        change_bps = d.pop("changeBps")

        can_accept_now = d.pop("canAcceptNow")

        next_change_allowed_at = d.pop("nextChangeAllowedAt")

        def _parse_cover_ratio_bps(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cover_ratio_bps = _parse_cover_ratio_bps(d.pop("coverRatioBps"))

        window_days = d.pop("windowDays")

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = PricingReason.from_dict(reasons_item_data)

            reasons.append(reasons_item)

        bounds = ValueBounds.from_dict(d.pop("bounds"))

        series = []
        _series = d.pop("series")
        for series_item_data in _series:
            series_item = PricingDay.from_dict(series_item_data)

            series.append(series_item)

        pricing_suggestion = cls(
            current_value=current_value,
            suggested_value=suggested_value,
            change_bps=change_bps,
            can_accept_now=can_accept_now,
            next_change_allowed_at=next_change_allowed_at,
            cover_ratio_bps=cover_ratio_bps,
            window_days=window_days,
            reasons=reasons,
            bounds=bounds,
            series=series,
        )

        pricing_suggestion.additional_properties = d
        return pricing_suggestion

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
