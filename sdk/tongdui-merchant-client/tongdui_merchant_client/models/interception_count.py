from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.interception_count_outcome import InterceptionCountOutcome, check_interception_count_outcome

T = TypeVar("T", bound="InterceptionCount")


@_attrs_define
class InterceptionCount:
    """
    Attributes:
        day (str): UTC date, YYYY-MM-DD
        rule_id (int):
        kind (str):
        code (str):
        outcome (InterceptionCountOutcome):
        count (int):
    """

    day: str
    rule_id: int
    kind: str
    code: str
    outcome: InterceptionCountOutcome
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        day = self.day

        rule_id = self.rule_id

        kind = self.kind

        code = self.code

        outcome: str = self.outcome

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "day": day,
                "ruleId": rule_id,
                "kind": kind,
                "code": code,
                "outcome": outcome,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = d.pop("day")

        rule_id = d.pop("ruleId")

        kind = d.pop("kind")

        code = d.pop("code")

        outcome = check_interception_count_outcome(d.pop("outcome"))

        count = d.pop("count")

        interception_count = cls(
            day=day,
            rule_id=rule_id,
            kind=kind,
            code=code,
            outcome=outcome,
            count=count,
        )

        interception_count.additional_properties = d
        return interception_count

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
