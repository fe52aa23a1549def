from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_state import DeliveryState, check_delivery_state

if TYPE_CHECKING:
    from ..models.attempt import Attempt


T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """
    Attributes:
        id (int):
        event_id (str):
        type_ (str):
        reverses (None | str):
        state (DeliveryState):
        next_attempt_at (float | None):
        attempts (list[Attempt]):
    """

    id: int
    event_id: str
    type_: str
    reverses: None | str
    state: DeliveryState
    next_attempt_at: float | None
    attempts: list[Attempt]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id = self.event_id

        type_ = self.type_

        reverses: None | str
        reverses = self.reverses

        state: str = self.state

        next_attempt_at: float | None
        next_attempt_at = self.next_attempt_at

        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "eventId": event_id,
                "type": type_,
                "reverses": reverses,
                "state": state,
                "nextAttemptAt": next_attempt_at,
                "attempts": attempts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt import Attempt  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        event_id = d.pop("eventId")

        type_ = d.pop("type")

        def _parse_reverses(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reverses = _parse_reverses(d.pop("reverses"))

        state = check_delivery_state(d.pop("state"))

        def _parse_next_attempt_at(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt"))

        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in _attempts:
            attempts_item = Attempt.from_dict(attempts_item_data)

            attempts.append(attempts_item)

        delivery = cls(
            id=id,
            event_id=event_id,
            type_=type_,
            reverses=reverses,
            state=state,
            next_attempt_at=next_attempt_at,
            attempts=attempts,
        )

        delivery.additional_properties = d
        return delivery

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
