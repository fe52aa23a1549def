from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.redemption_typed_data_domain import RedemptionTypedDataDomain
    from ..models.redemption_typed_data_message import RedemptionTypedDataMessage
    from ..models.redemption_typed_data_typeddata import RedemptionTypedDataTypeddata
    from ..models.redemption_typed_data_types import RedemptionTypedDataTypes


T = TypeVar("T", bound="RedemptionTypedData")


@_attrs_define
class RedemptionTypedData:
    """What the holder's wallet signs: ``typedData`` for ``eth_signTypedData_v4``; ``domain``,
    ``types`` (Redemption only, no ``EIP712Domain``) and ``message`` for ethers'
    ``signTypedData(domain, types, value)``. Every uint is a decimal string.

        Attributes:
            typed_data (RedemptionTypedDataTypeddata):
            domain (RedemptionTypedDataDomain):
            types (RedemptionTypedDataTypes):
            message (RedemptionTypedDataMessage):
            nonce (str):
            primary_type (str | Unset):  Default: 'Redemption'.
    """

    typed_data: RedemptionTypedDataTypeddata
    domain: RedemptionTypedDataDomain
    types: RedemptionTypedDataTypes
    message: RedemptionTypedDataMessage
    nonce: str
    primary_type: str | Unset = "Redemption"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        typed_data = self.typed_data.to_dict()

        domain = self.domain.to_dict()

        types = self.types.to_dict()

        message = self.message.to_dict()

        nonce = self.nonce

        primary_type = self.primary_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "typedData": typed_data,
                "domain": domain,
                "types": types,
                "message": message,
                "nonce": nonce,
            }
        )
        if primary_type is not UNSET:
            field_dict["primaryType"] = primary_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redemption_typed_data_domain import RedemptionTypedDataDomain  # noqa: PLC0415
        from ..models.redemption_typed_data_message import RedemptionTypedDataMessage  # noqa: PLC0415
        from ..models.redemption_typed_data_typeddata import RedemptionTypedDataTypeddata  # noqa: PLC0415
        from ..models.redemption_typed_data_types import RedemptionTypedDataTypes  # noqa: PLC0415

        d = dict(src_dict)
        typed_data = RedemptionTypedDataTypeddata.from_dict(d.pop("typedData"))

        domain = RedemptionTypedDataDomain.from_dict(d.pop("domain"))

        types = RedemptionTypedDataTypes.from_dict(d.pop("types"))

        message = RedemptionTypedDataMessage.from_dict(d.pop("message"))

        nonce = d.pop("nonce")

        primary_type = d.pop("primaryType", UNSET)

        redemption_typed_data = cls(
            typed_data=typed_data,
            domain=domain,
            types=types,
            message=message,
            nonce=nonce,
            primary_type=primary_type,
        )

        redemption_typed_data.additional_properties = d
        return redemption_typed_data

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
