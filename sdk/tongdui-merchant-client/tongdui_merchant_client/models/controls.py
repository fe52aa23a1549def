from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.frozen_account import FrozenAccount


T = TypeVar("T", bound="Controls")


@_attrs_define
class Controls:
    """Who may issue this program's points and which accounts are frozen, as indexed.

    Attributes:
        issuers (list[str]): issuer keys of the current issuer epoch; rotating the operator key revokes them all
        frozen (list[FrozenAccount]):
        as_of_block (int | None):
    """

    issuers: list[str]
    frozen: list[FrozenAccount]
    as_of_block: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        issuers = self.issuers

        frozen = []
        for frozen_item_data in self.frozen:
            frozen_item = frozen_item_data.to_dict()
            frozen.append(frozen_item)

        as_of_block: int | None
        as_of_block = self.as_of_block

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "issuers": issuers,
                "frozen": frozen,
                "asOfBlock": as_of_block,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.frozen_account import FrozenAccount  # noqa: PLC0415

        d = dict(src_dict)
        issuers = cast(list[str], d.pop("issuers"))

        frozen = []
        _frozen = d.pop("frozen")
        for frozen_item_data in _frozen:
            frozen_item = FrozenAccount.from_dict(frozen_item_data)

            frozen.append(frozen_item)

        def _parse_as_of_block(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        as_of_block = _parse_as_of_block(d.pop("asOfBlock"))

        controls = cls(
            issuers=issuers,
            frozen=frozen,
            as_of_block=as_of_block,
        )

        controls.additional_properties = d
        return controls

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
