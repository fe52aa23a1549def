from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.merchant_swap_direction import MerchantSwapDirection, check_merchant_swap_direction

T = TypeVar("T", bound="MerchantSwap")


@_attrs_define
class MerchantSwap:
    """
    Attributes:
        direction (MerchantSwapDirection):
        order_hash (str):
        owner (str):
        from_token (str):
        to_token (str):
        amount_in (int):
        amount_out (int):
        gross_value (int):
        paid_to_target (int):
        fee (int):
        merchant_fee (int):
        relayer (str):
        block_number (int):
        log_index (int):
        timestamp (int):
        tx_hash (str):
    """

    direction: MerchantSwapDirection
    order_hash: str
    owner: str
    from_token: str
    to_token: str
    amount_in: int
    amount_out: int
    gross_value: int
    paid_to_target: int
    fee: int
    merchant_fee: int
    relayer: str
    block_number: int
    log_index: int
    timestamp: int
    tx_hash: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        direction: str = self.direction

        order_hash = self.order_hash

        owner = self.owner

        from_token = self.from_token

        to_token = self.to_token

        amount_in = self.amount_in

        amount_out = self.amount_out

        gross_value = self.gross_value

        paid_to_target = self.paid_to_target

        fee = self.fee

        merchant_fee = self.merchant_fee

        relayer = self.relayer

        block_number = self.block_number

        log_index = self.log_index

        timestamp = self.timestamp

        tx_hash = self.tx_hash

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "direction": direction,
                "orderHash": order_hash,
                "owner": owner,
                "fromToken": from_token,
                "toToken": to_token,
                "amountIn": amount_in,
                "amountOut": amount_out,
                "grossValue": gross_value,
                "paidToTarget": paid_to_target,
                "fee": fee,
                "merchantFee": merchant_fee,
                "relayer": relayer,
                "blockNumber": block_number,
                "logIndex": log_index,
                "timestamp": timestamp,
                "txHash": tx_hash,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        direction = check_merchant_swap_direction(d.pop("direction"))

        order_hash = d.pop("orderHash")

        owner = d.pop("owner")

        from_token = d.pop("fromToken")

        to_token = d.pop("toToken")

        amount_in = d.pop("amountIn")

        amount_out = d.pop("amountOut")

        gross_value = d.pop("grossValue")

        paid_to_target = d.pop("paidToTarget")

        fee = d.pop("fee")

        merchant_fee = d.pop("merchantFee")

        relayer = d.pop("relayer")

        block_number = d.pop("blockNumber")

        log_index = d.pop("logIndex")

        timestamp = d.pop("timestamp")

        tx_hash = d.pop("txHash")

        merchant_swap = cls(
            direction=direction,
            order_hash=order_hash,
            owner=owner,
            from_token=from_token,
            to_token=to_token,
            amount_in=amount_in,
            amount_out=amount_out,
            gross_value=gross_value,
            paid_to_target=paid_to_target,
            fee=fee,
            merchant_fee=merchant_fee,
            relayer=relayer,
            block_number=block_number,
            log_index=log_index,
            timestamp=timestamp,
            tx_hash=tx_hash,
        )

        merchant_swap.additional_properties = d
        return merchant_swap

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
