from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bulk_progress_state import BulkProgressState, check_bulk_progress_state

T = TypeVar("T", bound="BulkProgress")


@_attrs_define
class BulkProgress:
    """
    Attributes:
        job_id (int):
        state (BulkProgressState):
        total (int): rows to issue (keys used before are not counted)
        skipped (int): rows whose idempotency key was already used
        pending (int):
        sent (int):
        issued (int):
        failed (int):
    """

    job_id: int
    state: BulkProgressState
    total: int
    skipped: int
    pending: int
    sent: int
    issued: int
    failed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        state: str = self.state

        total = self.total

        skipped = self.skipped

        pending = self.pending

        sent = self.sent

        issued = self.issued

        failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jobId": job_id,
                "state": state,
                "total": total,
                "skipped": skipped,
                "pending": pending,
                "sent": sent,
                "issued": issued,
                "failed": failed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("jobId")

        state = check_bulk_progress_state(d.pop("state"))

        total = d.pop("total")

        skipped = d.pop("skipped")

        pending = d.pop("pending")

        sent = d.pop("sent")

        issued = d.pop("issued")

        failed = d.pop("failed")

        bulk_progress = cls(
            job_id=job_id,
            state=state,
            total=total,
            skipped=skipped,
            pending=pending,
            sent=sent,
            issued=issued,
            failed=failed,
        )

        bulk_progress.additional_properties = d
        return bulk_progress

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
