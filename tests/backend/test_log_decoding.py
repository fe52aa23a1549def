"""The shared log decoder (``chain.logs``): one table of events, the indexer's JSON form and the
relayer's Python form of the same log agree."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from tongdui.chain.artifacts import abi
from tongdui.chain.logs import event_specs, topic_in, topic_of

OWNER = "0x" + "ab" * 20
FROM_TOKEN = "0x" + "cd" * 20
TO_TOKEN = "0x" + "ef" * 20
RELAYER = "0x" + "12" * 20
ORDER_HASH = "0x" + "77" * 32
SWAPPED_DATA = (TO_TOKEN, 5, 1_000, 2**200, 9_700, 30, 1, RELAYER)


def _word(address: str) -> str:
    return "0x" + "00" * 12 + address[2:]


def swapped_log() -> tuple[list[str], str]:
    topic = topic_of("Swapped")
    data = encode(
        ["address", "uint256", "uint256", "uint256", "uint256", "uint256", "uint256", "address"],
        SWAPPED_DATA,
    )
    return [topic, ORDER_HASH, _word(OWNER), _word(FROM_TOKEN)], "0x" + data.hex()


def test_the_topic_of_an_event_is_the_keccak_of_its_signature_in_its_contract() -> None:
    signature = (
        "Swapped(bytes32,address,address,address,uint256,uint256,uint256,uint256,uint256,"
        "uint256,address)"
    )
    assert topic_in(abi("PointsExchange"), "Swapped") == "0x" + keccak(text=signature).hex()
    assert topic_of("Swapped") == topic_in(abi("PointsExchange"), "Swapped")


def test_the_indexer_form_is_json_ready_and_checksummed() -> None:
    topics, data = swapped_log()
    args = event_specs()[topics[0]].decode(topics, data)
    assert args["orderHash"] == ORDER_HASH
    assert args["owner"] == to_checksum_address(OWNER)
    assert args["toToken"] == to_checksum_address(TO_TOKEN)
    assert args["amountOut"] == str(2**200) and args["fee"] == "30"


def test_the_relayer_form_keeps_indexed_words_raw_and_data_as_python_values() -> None:
    topics, data = swapped_log()
    args = event_specs()[topics[0]].values(topics, data)
    assert args["orderHash"] == ORDER_HASH and args["owner"] == _word(OWNER)
    assert (args["toToken"], args["amountOut"], args["fee"]) == (TO_TOKEN, 2**200, 30)
    assert args["relayer"] == RELAYER


def test_a_rejection_reason_comes_out_as_its_four_bytes() -> None:
    topic = topic_of("OrderRejected")
    spec = event_specs()[topic]
    reason = keccak(text="ExchangeOrderExpired(uint256)")[:4]
    data = "0x" + encode(list(spec.data_types), [3, reason, True]).hex()
    args = spec.values([topic, ORDER_HASH, _word(OWNER)], data)
    assert (args["nonce"], args["reason"], args["nonceConsumed"]) == (3, reason, True)
