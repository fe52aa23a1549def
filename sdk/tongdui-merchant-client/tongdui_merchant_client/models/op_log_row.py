from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.op_log_row_actor import OpLogRowActor
    from ..models.op_log_row_result import OpLogRowResult


T = TypeVar("T", bound="OpLogRow")


@_attrs_define
class OpLogRow:
    """
    Attributes:
        seq (int):
        at (str):
        merchant_token (None | str):
        actor (OpLogRowActor):
        action (str):
        target (str):
        request_digest (str):
        result (OpLogRowResult):
        prev_hash (str):
        hash_ (str):
    """

    seq: int
    at: str
    merchant_token: None | str
    actor: OpLogRowActor
    action: str
    target: str
    request_digest: str
    result: OpLogRowResult
    prev_hash: str
    hash_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        at = self.at

        merchant_token: None | str
        merchant_token = self.merchant_token

        actor = self.actor.to_dict()

        action = self.action

        target = self.target

        request_digest = self.request_digest

        result = self.result.to_dict()

        prev_hash = self.prev_hash

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "at": at,
                "merchantToken": merchant_token,
                "actor": actor,
                "action": action,
                "target": target,
                "requestDigest": request_digest,
                "result": result,
                "prevHash": prev_hash,
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.op_log_row_actor import OpLogRowActor  # noqa: PLC0415
        from ..models.op_log_row_result import OpLogRowResult  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        at = d.pop("at")

        def _parse_merchant_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        merchant_token = _parse_merchant_token(d.pop("merchantToken"))

        actor = OpLogRowActor.from_dict(d.pop("actor"))

        action = d.pop("action")

        target = d.pop("target")

        request_digest = d.pop("requestDigest")

        result = OpLogRowResult.from_dict(d.pop("result"))

        prev_hash = d.pop("prevHash")

        hash_ = d.pop("hash")

        op_log_row = cls(
            seq=seq,
            at=at,
            merchant_token=merchant_token,
            actor=actor,
            action=action,
            target=target,
            request_digest=request_digest,
            result=result,
            prev_hash=prev_hash,
            hash_=hash_,
        )

        op_log_row.additional_properties = d
        return op_log_row

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
