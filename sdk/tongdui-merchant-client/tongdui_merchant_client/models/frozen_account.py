from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FrozenAccount")


@_attrs_define
class FrozenAccount:
    """A frozen account and who froze it: each authority clears only its own flag.

    Attributes:
        account (str):
        by_merchant (bool):
        by_governance (bool):
    """

    account: str
    by_merchant: bool
    by_governance: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        by_merchant = self.by_merchant

        by_governance = self.by_governance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "byMerchant": by_merchant,
                "byGovernance": by_governance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account = d.pop("account")

        by_merchant = d.pop("byMerchant")

        by_governance = d.pop("byGovernance")

        frozen_account = cls(
            account=account,
            by_merchant=by_merchant,
            by_governance=by_governance,
        )

        frozen_account.additional_properties = d
        return frozen_account

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
