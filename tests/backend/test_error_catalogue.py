"""One catalogue of error codes (issue 14): every code the backend answers with is a member of
``ErrorCode`` with one status and one English sentence; every custom error a contract can
revert with maps to a member; every Solidity error in ``contracts/interfaces`` says what it
means (``@notice``); the status is fixed when an error is made, and the JSON stays the bare
string. Each language's page text is checked in test_web_messages.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tongdui.api.app import create_app
from tongdui.chain.errors import _code, decode_error, error_code, error_table
from tongdui.core.error_codes import ErrorCode
from tongdui.core.errors import ContractRevertError, NotFoundError, TongduiError, ValidationError
from tongdui.relayer.intake import refuse
from tongdui.services import Services

from .error_codes import contract_codes, source_codes

INTERFACES = Path(__file__).resolve().parents[2] / "contracts" / "interfaces"
ERROR = re.compile(r"^\s*error (\w+)\(", re.M)


def interface_errors() -> dict[str, list[str]]:
    """Each interface's custom errors, with the comment lines right above each."""
    found: dict[str, list[str]] = {}
    for path in sorted(INTERFACES.glob("*.sol")):
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            match = ERROR.match(line)
            if match:
                above: list[str] = []
                j = i - 1
                while j >= 0 and lines[j].lstrip().startswith("///"):
                    above.insert(0, lines[j].strip())
                    j -= 1
                found[f"{path.name}:{match.group(1)}"] = above
    return found


def test_every_code_is_its_own_name_with_a_status_and_a_sentence() -> None:
    for code in ErrorCode:
        assert code.value == code.name, code
        assert 400 <= code.status < 600, code
        assert code.message[:1].isupper() and code.message.endswith((".", ")")), code


def test_a_code_serializes_as_the_bare_string_it_always_was() -> None:
    body = {"code": ErrorCode.NONCE_USED, "message": ErrorCode.NONCE_USED.message}
    assert json.dumps(body).startswith('{"code": "NONCE_USED", ')
    assert ErrorCode.NONCE_USED == "NONCE_USED" and f"{ErrorCode.NONCE_USED}" == "NONCE_USED"


def test_every_custom_error_of_the_interfaces_maps_to_a_code() -> None:
    names = [key.split(":")[1] for key in interface_errors()]
    assert len(names) > 60
    unmapped = [name for name in names if _code(name) not in ErrorCode.__members__]
    assert unmapped == []


def test_every_custom_error_in_the_abis_decodes_to_its_catalogue_code() -> None:
    """OpenZeppelin's errors included: nothing a contract reverts with is UNKNOWN_ERROR."""
    assert contract_codes() <= set(ErrorCode.__members__)
    for selector, (name, _, _) in error_table().items():
        decoded = decode_error(selector)
        assert decoded.code is error_code(name) is ErrorCode[_code(name)], name
        assert decoded.message == decoded.code.message


def test_every_solidity_error_in_the_interfaces_has_a_notice() -> None:
    missing = [key for key, above in interface_errors().items() if not any(
        line.startswith("/// @notice") for line in above
    )]  # fmt: skip
    assert missing == []


def test_every_code_the_source_still_writes_as_a_string_is_in_the_catalogue() -> None:
    assert source_codes() - set(ErrorCode.__members__) == set()


def test_an_error_class_answers_its_codes_status_unless_it_says_otherwise() -> None:
    assert ValidationError("x").status == ErrorCode.INVALID_REQUEST.status == 400
    assert NotFoundError("x", code=ErrorCode.UNKNOWN_MERCHANT).status == 404
    # a sent transaction that reverted answers 422, whatever the contract's code
    assert ContractRevertError("x", code=ErrorCode.CAP_EXCEEDED).status == 422
    assert TongduiError("x", code=ErrorCode.PORT_IN_USE).code == "PORT_IN_USE"


@pytest.mark.parametrize(
    "code", [ErrorCode.NONCE_USED, ErrorCode.MALFORMED_ORDER, ErrorCode.ZERO_AMOUNT]
)
def test_a_refusal_answers_its_codes_catalogue_status(code: ErrorCode) -> None:
    error = refuse(code, code.message, nonce="7")
    assert (error.code, error.status, error.details) == (code, code.status, {"nonce": "7"})


def test_the_relayer_routes_document_each_code_under_its_catalogue_status(
    services: Services,
) -> None:
    responses = create_app(services).openapi()["paths"]["/orders"]["post"]["responses"]
    for code in (ErrorCode.INVALID_SIGNER, ErrorCode.NONCE_USED, ErrorCode.MALFORMED_ORDER):
        description = responses[str(code.status)]["description"]
        assert f"`{code}`: {code.message}" in description
