"""History pages are cut by a cursor: the last item's (block, log index), given out and taken
back unchanged; anything else is a 400 with a code, not a server error."""

from __future__ import annotations

import pytest

from tongdui.core.errors import ValidationError
from tongdui.query.index import decode_cursor, encode_cursor


def test_a_cursor_given_out_reads_back_as_its_block_and_log_index() -> None:
    assert decode_cursor(encode_cursor(1_234, 7)) == (1_234, 7)


def test_no_cursor_is_the_first_page() -> None:
    assert decode_cursor(None) is None
    assert decode_cursor("") is None


@pytest.mark.parametrize("bad", ["12", "a-b", "1-2-3", "1-", "-", "1.5-2"])
def test_a_cursor_this_api_did_not_give_out_is_refused_with_invalid_cursor(bad: str) -> None:
    with pytest.raises(ValidationError) as refused:
        decode_cursor(bad)
    assert refused.value.code == "INVALID_CURSOR"
    assert "nextCursor" in str(refused.value)
