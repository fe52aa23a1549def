from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OperatorView")


@_attrs_define
class OperatorView:
    """
    Attributes:
        id (int):
        token (str):
        name (str):
        role (str):
        scopes (list[str]):
        key_prefixes (list[str]):
    """

    id: int
    token: str
    name: str
    role: str
    scopes: list[str]
    key_prefixes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        token = self.token

        name = self.name

        role = self.role

        scopes = self.scopes

        key_prefixes = self.key_prefixes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "token": token,
                "name": name,
                "role": role,
                "scopes": scopes,
                "keyPrefixes": key_prefixes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        token = d.pop("token")

        name = d.pop("name")

        role = d.pop("role")

        scopes = cast(list[str], d.pop("scopes"))

        key_prefixes = cast(list[str], d.pop("keyPrefixes"))

        operator_view = cls(
            id=id,
            token=token,
            name=name,
            role=role,
            scopes=scopes,
            key_prefixes=key_prefixes,
        )

        operator_view.additional_properties = d
        return operator_view

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
