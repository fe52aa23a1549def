from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_out_subject import ReviewOutSubject, check_review_out_subject

T = TypeVar("T", bound="ReviewOut")


@_attrs_define
class ReviewOut:
    """
    Attributes:
        subject (ReviewOutSubject):
        hash_ (str):
        decision (str):
        state (str): now: received (queued again), or rejected (a gift: failed)
    """

    subject: ReviewOutSubject
    hash_: str
    decision: str
    state: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject: str = self.subject

        hash_ = self.hash_

        decision = self.decision

        state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "hash": hash_,
                "decision": decision,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = check_review_out_subject(d.pop("subject"))

        hash_ = d.pop("hash")

        decision = d.pop("decision")

        state = d.pop("state")

        review_out = cls(
            subject=subject,
            hash_=hash_,
            decision=decision,
            state=state,
        )

        review_out.additional_properties = d
        return review_out

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
