from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote_out import QuoteOut


T = TypeVar("T", bound="ProductOut")


@_attrs_define
class ProductOut:
    """
    Attributes:
        product_id (int):
        merchant (str): the merchant's points token
        symbol (str):
        name (str):
        terms (str):
        terms_hash (str):
        price (int): settlement units (fen)
        face_value (int):
        stock (int):
        sold (int):
        per_user_limit (int):
        sale_ends_at (int):
        valid_until (int):
        valid_days (int):
        breakage (int):
        paused (bool):
        redeemed (int | Unset):  Default: 0.
        expired (int | Unset):  Default: 0.
        quote (None | QuoteOut | Unset):
    """

    product_id: int
    merchant: str
    symbol: str
    name: str
    terms: str
    terms_hash: str
    price: int
    face_value: int
    stock: int
    sold: int
    per_user_limit: int
    sale_ends_at: int
    valid_until: int
    valid_days: int
    breakage: int
    paused: bool
    redeemed: int | Unset = 0
    expired: int | Unset = 0
    quote: None | QuoteOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote_out import QuoteOut  # noqa: PLC0415

        product_id = self.product_id

        merchant = self.merchant

        symbol = self.symbol

        name = self.name

        terms = self.terms

        terms_hash = self.terms_hash

        price = self.price

        face_value = self.face_value

        stock = self.stock

        sold = self.sold

        per_user_limit = self.per_user_limit

        sale_ends_at = self.sale_ends_at

        valid_until = self.valid_until

        valid_days = self.valid_days

        breakage = self.breakage

        paused = self.paused

        redeemed = self.redeemed

        expired = self.expired

        quote: dict[str, Any] | None | Unset
        if isinstance(self.quote, Unset):
            quote = UNSET
        elif isinstance(self.quote, QuoteOut):
            quote = self.quote.to_dict()
        else:
            quote = self.quote

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "productId": product_id,
                "merchant": merchant,
                "symbol": symbol,
                "name": name,
                "terms": terms,
                "termsHash": terms_hash,
                "price": price,
                "faceValue": face_value,
                "stock": stock,
                "sold": sold,
                "perUserLimit": per_user_limit,
                "saleEndsAt": sale_ends_at,
                "validUntil": valid_until,
                "validDays": valid_days,
                "breakage": breakage,
                "paused": paused,
            }
        )
        if redeemed is not UNSET:
            field_dict["redeemed"] = redeemed
        if expired is not UNSET:
            field_dict["expired"] = expired
        if quote is not UNSET:
            field_dict["quote"] = quote

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote_out import QuoteOut  # noqa: PLC0415

        d = dict(src_dict)
        product_id = d.pop("productId")

        merchant = d.pop("merchant")

        symbol = d.pop("symbol")

        name = d.pop("name")

        terms = d.pop("terms")

        terms_hash = d.pop("termsHash")

        price = d.pop("price")

        face_value = d.pop("faceValue")

        stock = d.pop("stock")

        sold = d.pop("sold")

        per_user_limit = d.pop("perUserLimit")

        sale_ends_at = d.pop("saleEndsAt")

        valid_until = d.pop("validUntil")

        valid_days = d.pop("validDays")

        breakage = d.pop("breakage")

        paused = d.pop("paused")

        redeemed = d.pop("redeemed", UNSET)

        expired = d.pop("expired", UNSET)

        def _parse_quote(data: object) -> None | QuoteOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quote_type_0 = QuoteOut.from_dict(data)

                return quote_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuoteOut | Unset, data)

        quote = _parse_quote(d.pop("quote", UNSET))

        product_out = cls(
            product_id=product_id,
            merchant=merchant,
            symbol=symbol,
            name=name,
            terms=terms,
            terms_hash=terms_hash,
            price=price,
            face_value=face_value,
            stock=stock,
            sold=sold,
            per_user_limit=per_user_limit,
            sale_ends_at=sale_ends_at,
            valid_until=valid_until,
            valid_days=valid_days,
            breakage=breakage,
            paused=paused,
            redeemed=redeemed,
            expired=expired,
            quote=quote,
        )

        product_out.additional_properties = d
        return product_out

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
