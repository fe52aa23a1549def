from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.operator_view import OperatorView


T = TypeVar("T", bound="OperatorKeyCreated")


@_attrs_define
class OperatorKeyCreated:
    """A new operator key: ``key`` is shown this once; only its hash is stored.

    Attributes:
        operator (OperatorView):
        key (str):
    """

    operator: OperatorView
    key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operator = self.operator.to_dict()

        key = self.key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "operator": operator,
                "key": key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.operator_view import OperatorView  # noqa: PLC0415

        d = dict(src_dict)
        operator = OperatorView.from_dict(d.pop("operator"))

        key = d.pop("key")

        operator_key_created = cls(
            operator=operator,
            key=key,
        )

        operator_key_created.additional_properties = d
        return operator_key_created

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
