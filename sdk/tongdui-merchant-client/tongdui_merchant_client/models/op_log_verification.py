from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.op_log_verification_reason_type_0 import (
    OpLogVerificationReasonType0,
    check_op_log_verification_reason_type_0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="OpLogVerification")


@_attrs_define
class OpLogVerification:
    """``ok`` when every hash and link recomputes; else the first broken seq and why
    (``gap``: a row deleted, ``prev_hash``: reordered or replaced, ``hash``: edited).

        Attributes:
            ok (bool):
            entries (int):
            head_hash (str):
            broken_at (int | None | Unset):
            reason (None | OpLogVerificationReasonType0 | Unset):
    """

    ok: bool
    entries: int
    head_hash: str
    broken_at: int | None | Unset = UNSET
    reason: None | OpLogVerificationReasonType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        entries = self.entries

        head_hash = self.head_hash

        broken_at: int | None | Unset
        if isinstance(self.broken_at, Unset):
            broken_at = UNSET
        else:
            broken_at = self.broken_at

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, str):
            reason = self.reason
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "entries": entries,
                "headHash": head_hash,
            }
        )
        if broken_at is not UNSET:
            field_dict["brokenAt"] = broken_at
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        entries = d.pop("entries")

        head_hash = d.pop("headHash")

        def _parse_broken_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        broken_at = _parse_broken_at(d.pop("brokenAt", UNSET))

        def _parse_reason(data: object) -> None | OpLogVerificationReasonType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = check_op_log_verification_reason_type_0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OpLogVerificationReasonType0 | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        op_log_verification = cls(
            ok=ok,
            entries=entries,
            head_hash=head_hash,
            broken_at=broken_at,
            reason=reason,
        )

        op_log_verification.additional_properties = d
        return op_log_verification

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
