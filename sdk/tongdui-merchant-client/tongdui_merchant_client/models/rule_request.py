from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_request_action import RuleRequestAction, check_rule_request_action
from ..models.rule_request_kind import RuleRequestKind, check_rule_request_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RuleRequest")


@_attrs_define
class RuleRequest:
    """A rule for this merchant's requests (orders that spend or receive its points, gifts of
    them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
    amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``.

        Attributes:
            kind (RuleRequestKind):
            action (RuleRequestAction):
            max_count (int | Unset):  Default: 0.
            window_seconds (int | Unset):  Default: 0.
            max_amount (int | Unset):  Default: 0.
            addresses (list[str] | Unset):
    """

    kind: RuleRequestKind
    action: RuleRequestAction
    max_count: int | Unset = 0
    window_seconds: int | Unset = 0
    max_amount: int | Unset = 0
    addresses: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        action: str = self.action

        max_count = self.max_count

        window_seconds = self.window_seconds

        max_amount = self.max_amount

        addresses: list[str] | Unset = UNSET
        if not isinstance(self.addresses, Unset):
            addresses = self.addresses

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "action": action,
            }
        )
        if max_count is not UNSET:
            field_dict["maxCount"] = max_count
        if window_seconds is not UNSET:
            field_dict["windowSeconds"] = window_seconds
        if max_amount is not UNSET:
            field_dict["maxAmount"] = max_amount
        if addresses is not UNSET:
            field_dict["addresses"] = addresses

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = check_rule_request_kind(d.pop("kind"))

        action = check_rule_request_action(d.pop("action"))

        max_count = d.pop("maxCount", UNSET)

        window_seconds = d.pop("windowSeconds", UNSET)

        max_amount = d.pop("maxAmount", UNSET)

        addresses = cast(list[str], d.pop("addresses", UNSET))

        rule_request = cls(
            kind=kind,
            action=action,
            max_count=max_count,
            window_seconds=window_seconds,
            max_amount=max_amount,
            addresses=addresses,
        )

        rule_request.additional_properties = d
        return rule_request

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
