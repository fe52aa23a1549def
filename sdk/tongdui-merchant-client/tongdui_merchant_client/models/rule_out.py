from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rule_out_scope import RuleOutScope, check_rule_out_scope

T = TypeVar("T", bound="RuleOut")


@_attrs_define
class RuleOut:
    """
    Attributes:
        id (int):
        scope (RuleOutScope): consortium: a default for every merchant, set by a consortium reviewer
            ('/consortium/risk/rules') or the operator's CLI
        kind (str):
        action (str):
        max_count (int):
        window_seconds (int):
        max_amount (int):
        addresses (list[str]):
        created_at (float):
    """

    id: int
    scope: RuleOutScope
    kind: str
    action: str
    max_count: int
    window_seconds: int
    max_amount: int
    addresses: list[str]
    created_at: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        scope: str = self.scope

        kind = self.kind

        action = self.action

        max_count = self.max_count

        window_seconds = self.window_seconds

        max_amount = self.max_amount

        addresses = self.addresses

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "scope": scope,
                "kind": kind,
                "action": action,
                "maxCount": max_count,
                "windowSeconds": window_seconds,
                "maxAmount": max_amount,
                "addresses": addresses,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        scope = check_rule_out_scope(d.pop("scope"))

        kind = d.pop("kind")

        action = d.pop("action")

        max_count = d.pop("maxCount")

        window_seconds = d.pop("windowSeconds")

        max_amount = d.pop("maxAmount")

        addresses = cast(list[str], d.pop("addresses"))

        created_at = d.pop("createdAt")

        rule_out = cls(
            id=id,
            scope=scope,
            kind=kind,
            action=action,
            max_count=max_count,
            window_seconds=window_seconds,
            max_amount=max_amount,
            addresses=addresses,
            created_at=created_at,
        )

        rule_out.additional_properties = d
        return rule_out

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
