from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="KeyInfo")


@_attrs_define
class KeyInfo:
    """
    Attributes:
        token (str):
        symbol (str):
        key_prefix (str):
        scopes (list[str]):
        operator_key_held (bool):
    """

    token: str
    symbol: str
    key_prefix: str
    scopes: list[str]
    operator_key_held: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        symbol = self.symbol

        key_prefix = self.key_prefix

        scopes = self.scopes

        operator_key_held = self.operator_key_held

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "symbol": symbol,
                "keyPrefix": key_prefix,
                "scopes": scopes,
                "operatorKeyHeld": operator_key_held,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        symbol = d.pop("symbol")

        key_prefix = d.pop("keyPrefix")

        scopes = cast(list[str], d.pop("scopes"))

        operator_key_held = d.pop("operatorKeyHeld")

        key_info = cls(
            token=token,
            symbol=symbol,
            key_prefix=key_prefix,
            scopes=scopes,
            operator_key_held=operator_key_held,
        )

        key_info.additional_properties = d
        return key_info

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
