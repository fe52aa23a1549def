from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.held_request_subject import HeldRequestSubject, check_held_request_subject

T = TypeVar("T", bound="HeldRequest")


@_attrs_define
class HeldRequest:
    """
    Attributes:
        subject (HeldRequestSubject):
        hash_ (str): the order's or gift's EIP-712 digest
        owner (str):
        from_token (str):
        to_token (str):
        amount (int):
        rule_id (int):
        kind (str):
        code (str):
        message (str):
        at (float):
    """

    subject: HeldRequestSubject
    hash_: str
    owner: str
    from_token: str
    to_token: str
    amount: int
    rule_id: int
    kind: str
    code: str
    message: str
    at: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject: str = self.subject

        hash_ = self.hash_

        owner = self.owner

        from_token = self.from_token

        to_token = self.to_token

        amount = self.amount

        rule_id = self.rule_id

        kind = self.kind

        code = self.code

        message = self.message

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "hash": hash_,
                "owner": owner,
                "fromToken": from_token,
                "toToken": to_token,
                "amount": amount,
                "ruleId": rule_id,
                "kind": kind,
                "code": code,
                "message": message,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = check_held_request_subject(d.pop("subject"))

        hash_ = d.pop("hash")

        owner = d.pop("owner")

        from_token = d.pop("fromToken")

        to_token = d.pop("toToken")

        amount = d.pop("amount")

        rule_id = d.pop("ruleId")

        kind = d.pop("kind")

        code = d.pop("code")

        message = d.pop("message")

        at = d.pop("at")

        held_request = cls(
            subject=subject,
            hash_=hash_,
            owner=owner,
            from_token=from_token,
            to_token=to_token,
            amount=amount,
            rule_id=rule_id,
            kind=kind,
            code=code,
            message=message,
            at=at,
        )

        held_request.additional_properties = d
        return held_request

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
