from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductIn")


@_attrs_define
class ProductIn:
    """A new product (the merchant's ``listProduct``); ``name``/``terms`` stay off chain.

    Attributes:
        name (str):
        price (int | str):
        face_value (int | str):
        stock (int | str):
        terms (str | Unset):  Default: ''.
        per_user_limit (int | str | Unset):  Default: 0.
        sale_ends_at (int | str | Unset):  Default: 0.
        valid_until (int | str | Unset):  Default: 0.
        valid_days (int | str | Unset):  Default: 0.
        breakage (int | Unset):  Default: 0.
    """

    name: str
    price: int | str
    face_value: int | str
    stock: int | str
    terms: str | Unset = ""
    per_user_limit: int | str | Unset = 0
    sale_ends_at: int | str | Unset = 0
    valid_until: int | str | Unset = 0
    valid_days: int | str | Unset = 0
    breakage: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        price: int | str
        price = self.price

        face_value: int | str
        face_value = self.face_value

        stock: int | str
        stock = self.stock

        terms = self.terms

        per_user_limit: int | str | Unset
        if isinstance(self.per_user_limit, Unset):
            per_user_limit = UNSET
        else:
            per_user_limit = self.per_user_limit

        sale_ends_at: int | str | Unset
        if isinstance(self.sale_ends_at, Unset):
            sale_ends_at = UNSET
        else:
            sale_ends_at = self.sale_ends_at

        valid_until: int | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        else:
            valid_until = self.valid_until

        valid_days: int | str | Unset
        if isinstance(self.valid_days, Unset):
            valid_days = UNSET
        else:
            valid_days = self.valid_days

        breakage = self.breakage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "price": price,
                "faceValue": face_value,
                "stock": stock,
            }
        )
        if terms is not UNSET:
            field_dict["terms"] = terms
        if per_user_limit is not UNSET:
            field_dict["perUserLimit"] = per_user_limit
        if sale_ends_at is not UNSET:
            field_dict["saleEndsAt"] = sale_ends_at
        if valid_until is not UNSET:
            field_dict["validUntil"] = valid_until
        if valid_days is not UNSET:
            field_dict["validDays"] = valid_days
        if breakage is not UNSET:
            field_dict["breakage"] = breakage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_price(data: object) -> int | str:
            return cast(int | str, data)

        price = _parse_price(d.pop("price"))

        def _parse_face_value(data: object) -> int | str:
            return cast(int | str, data)

        face_value = _parse_face_value(d.pop("faceValue"))

        def _parse_stock(data: object) -> int | str:
            return cast(int | str, data)

        stock = _parse_stock(d.pop("stock"))

        terms = d.pop("terms", UNSET)

        def _parse_per_user_limit(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        per_user_limit = _parse_per_user_limit(d.pop("perUserLimit", UNSET))

        def _parse_sale_ends_at(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        sale_ends_at = _parse_sale_ends_at(d.pop("saleEndsAt", UNSET))

        def _parse_valid_until(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        valid_until = _parse_valid_until(d.pop("validUntil", UNSET))

        def _parse_valid_days(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        valid_days = _parse_valid_days(d.pop("validDays", UNSET))

        breakage = d.pop("breakage", UNSET)

        product_in = cls(
            name=name,
            price=price,
            face_value=face_value,
            stock=stock,
            terms=terms,
            per_user_limit=per_user_limit,
            sale_ends_at=sale_ends_at,
            valid_until=valid_until,
            valid_days=valid_days,
            breakage=breakage,
        )

        product_in.additional_properties = d
        return product_in

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
