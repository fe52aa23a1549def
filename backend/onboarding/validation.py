"""Checks of an application as a business fills it in: every field's problem at once, each
named by its field, so the form can mark them all and the API answers one clear refusal.

The licence number is the 18-character unified social credit code (统一社会信用代码) of
GB 32100-2015, whose last character is a check over the first 17: a mistyped character is
caught here, before a reviewer spends time on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eth_utils import is_address, to_checksum_address

# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
SYMBOL = re.compile(r"^[A-Z][A-Z0-9]{1,10}$")
MAX_POINT_VALUE = 2**64 - 1  # the exchange stores a point value in 64 bits
MAX_UINT256 = 2**256 - 1
ZERO_ADDRESS = "0x" + "0" * 40


@dataclass(frozen=True, slots=True)
class Problem:
    """One field's problem, as a sentence that says what to enter instead; ``type`` tells a
    page which of its own sentences to show (``invalid``, or ``taken`` for a used symbol)."""

    field: str
    problem: str
    type: str = "invalid"


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What a business fills in; strings as typed (the checks trim and normalise them)."""

    company_name: str
    licence_number: str
    contact_name: str
    contact_email: str
    contact_phone: str
    program_name: str
    symbol: str
    admin: str
    issuance_cap: int
    point_value: int


def uscc_check_character(first17: str) -> str:
    """The check character of a unified social credit code's first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def licence_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None."""
    if not code:
        return "enter the business licence's unified social credit code (18 characters)"
    if len(code) != 18:
        return f"a unified social credit code has 18 characters; this one has {len(code)}"
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        return (
            f"a unified social credit code uses digits and capital letters except I, O, S, V "
            f"and Z; found {''.join(bad)}"
        )
    if uscc_check_character(code[:17]) != code[17]:
        return "the last character (the check) does not match: check the code for a typo"
    return None


def normalise(form: ApplicationForm) -> ApplicationForm:
    """Trimmed text, an upper-case licence and symbol, a lower-case e-mail domain."""
    email = form.contact_email.strip()
    if "@" in email:
        local, domain = email.rsplit("@", 1)
        email = f"{local}@{domain.lower()}"
    return ApplicationForm(
        company_name=form.company_name.strip(),
        licence_number=form.licence_number.replace(" ", "").strip().upper(),
        contact_name=form.contact_name.strip(),
        contact_email=email,
        contact_phone=form.contact_phone.strip(),
        program_name=form.program_name.strip(),
        symbol=form.symbol.strip().upper(),
        admin=form.admin.strip(),
        issuance_cap=form.issuance_cap,
        point_value=form.point_value,
    )


def problems(form: ApplicationForm) -> list[Problem]:
    """Every problem of a normalised form, in the form's order; empty when it may be filed."""
    found: list[Problem] = []

    def check(field: str, problem: str | None) -> None:
        if problem:
            found.append(Problem(field, problem))

    check(
        "companyName",
        None
        if 2 <= len(form.company_name) <= 200
        else "enter the registered company name (2 to 200 characters)",
    )
    check("licenceNumber", licence_problem(form.licence_number))
    check(
        "contactName",
        None
        if 1 <= len(form.contact_name) <= 100
        else "enter a contact person (1 to 100 characters)",
    )
    check(
        "contactEmail",
        None
        if len(form.contact_email) <= 254 and EMAIL.match(form.contact_email)
        else "enter the contact's e-mail address, like name@example.com",
    )
    check(
        "contactPhone",
        None
        if not form.contact_phone or PHONE.match(form.contact_phone)
        else "enter a phone number of digits (a leading + and spaces or dashes allowed), or "
        "leave it empty",
    )
    check(
        "programName",
        None
        if 1 <= len(form.program_name) <= 64
        else "enter the points program's public name (1 to 64 characters)",
    )
    check(
        "symbol",
        None
        if SYMBOL.match(form.symbol)
        else "enter a symbol of 2 to 11 capital letters or digits starting with a letter",
    )
    check(
        "admin",
        None
        if is_address(form.admin) and to_checksum_address(form.admin) != ZERO_ADDRESS
        else "enter the operator's wallet address (0x and 40 hex digits, not zero)",
    )
    check(
        "issuanceCap",
        None
        if 1 <= form.issuance_cap <= MAX_UINT256
        else "enter the most points the program may have outstanding (at least 1)",
    )
    check(
        "pointValue",
        None
        if 1 <= form.point_value <= MAX_POINT_VALUE
        else f"enter the point's value in settlement units (1 to {MAX_POINT_VALUE})",
    )
    return found
