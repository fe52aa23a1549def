from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Endpoint")


@_attrs_define
class Endpoint:
    """
    Attributes:
        id (int):
        url (str):
        event_types (list[str]):
        created_at (float):
        disabled (bool):
        previous_secret_valid_until (float | None): after a rotation, until when deliveries are also signed with the old
            secret
    """

    id: int
    url: str
    event_types: list[str]
    created_at: float
    disabled: bool
    previous_secret_valid_until: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        event_types = self.event_types

        created_at = self.created_at

        disabled = self.disabled

        previous_secret_valid_until: float | None
        previous_secret_valid_until = self.previous_secret_valid_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "eventTypes": event_types,
                "createdAt": created_at,
                "disabled": disabled,
                "previousSecretValidUntil": previous_secret_valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        event_types = cast(list[str], d.pop("eventTypes"))

        created_at = d.pop("createdAt")

        disabled = d.pop("disabled")

        def _parse_previous_secret_valid_until(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        previous_secret_valid_until = _parse_previous_secret_valid_until(d.pop("previousSecretValidUntil"))

        endpoint = cls(
            id=id,
            url=url,
            event_types=event_types,
            created_at=created_at,
            disabled=disabled,
            previous_secret_valid_until=previous_secret_valid_until,
        )

        endpoint.additional_properties = d
        return endpoint

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
