from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.merchant_answer_status import MerchantAnswerStatus, check_merchant_answer_status

T = TypeVar("T", bound="MerchantAnswer")


@_attrs_define
class MerchantAnswer:
    """
    Attributes:
        id (int):
        name (str):
        symbol (str):
        token (str):
        admin (str):
        status (MerchantAnswerStatus):
        admitted_at (int):
        point_value (int):
        point_value_cny (str):
        issuance_cap (int):
        points_outstanding (int):
        settlement_balance (int):
        settlement_balance_cny (str):
        fee_credit (int):
        block_number (int): the block this was read at
    """

    id: int
    name: str
    symbol: str
    token: str
    admin: str
    status: MerchantAnswerStatus
    admitted_at: int
    point_value: int
    point_value_cny: str
    issuance_cap: int
    points_outstanding: int
    settlement_balance: int
    settlement_balance_cny: str
    fee_credit: int
    block_number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        symbol = self.symbol

        token = self.token

        admin = self.admin

        status: str = self.status

        admitted_at = self.admitted_at

        point_value = self.point_value

        point_value_cny = self.point_value_cny

        issuance_cap = self.issuance_cap

        points_outstanding = self.points_outstanding

        settlement_balance = self.settlement_balance

        settlement_balance_cny = self.settlement_balance_cny

        fee_credit = self.fee_credit

        block_number = self.block_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "symbol": symbol,
                "token": token,
                "admin": admin,
                "status": status,
                "admittedAt": admitted_at,
                "pointValue": point_value,
                "pointValueCny": point_value_cny,
                "issuanceCap": issuance_cap,
                "pointsOutstanding": points_outstanding,
                "settlementBalance": settlement_balance,
                "settlementBalanceCny": settlement_balance_cny,
                "feeCredit": fee_credit,
                "blockNumber": block_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        symbol = d.pop("symbol")

        token = d.pop("token")

        admin = d.pop("admin")

        status = check_merchant_answer_status(d.pop("status"))

        admitted_at = d.pop("admittedAt")

        point_value = d.pop("pointValue")

        point_value_cny = d.pop("pointValueCny")

        issuance_cap = d.pop("issuanceCap")

        points_outstanding = d.pop("pointsOutstanding")

        settlement_balance = d.pop("settlementBalance")

        settlement_balance_cny = d.pop("settlementBalanceCny")

        fee_credit = d.pop("feeCredit")

        block_number = d.pop("blockNumber")

        merchant_answer = cls(
            id=id,
            name=name,
            symbol=symbol,
            token=token,
            admin=admin,
            status=status,
            admitted_at=admitted_at,
            point_value=point_value,
            point_value_cny=point_value_cny,
            issuance_cap=issuance_cap,
            points_outstanding=points_outstanding,
            settlement_balance=settlement_balance,
            settlement_balance_cny=settlement_balance_cny,
            fee_credit=fee_credit,
            block_number=block_number,
        )

        merchant_answer.additional_properties = d
        return merchant_answer

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
