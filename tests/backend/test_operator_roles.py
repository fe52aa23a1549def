"""Each role is the set of key scopes its keys get; an unknown role or an empty name is refused
with a code before anything is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tongdui.core.error_codes import ErrorCode
from tongdui.core.errors import ValidationError
from tongdui.merchant.keys import authenticate
from tongdui.operations.models import Operator
from tongdui.operations.roles import create_operator, create_operator_key, operator_of_key

from .test_oplog_chain import TOKEN, data_dir, sessions  # noqa: F401 - shared fixtures


@pytest.mark.parametrize(
    ("role", "scopes"),
    [
        ("admin", {"issue", "redeem", "value", "funds", "read", "webhooks", "risk", "vouchers"}),
        ("issuer", {"issue", "read"}),
        ("cashier", {"redeem", "read"}),
        ("viewer", {"read"}),
    ],
)
def test_an_operators_key_carries_exactly_its_roles_scopes(
    sessions: sessionmaker[Session],  # noqa: F811
    role: str,
    scopes: set[str],
) -> None:
    with sessions() as session, session.begin():
        operator = create_operator(session, TOKEN, "王芳", role)
        key = create_operator_key(session, operator)
        row = authenticate(session, key)
        assert row.scope_set == scopes
        found = operator_of_key(session, row.prefix)
        assert found is not None and found.id == operator.id


def test_an_unknown_role_is_refused_with_invalid_role(
    sessions: sessionmaker[Session],  # noqa: F811
) -> None:
    with sessions() as session, session.begin():
        with pytest.raises(ValidationError) as refused:
            create_operator(session, TOKEN, "王芳", "owner")
        assert refused.value.code is ErrorCode.INVALID_ROLE
        assert session.scalars(select(Operator)).all() == []


def test_an_empty_name_is_refused_with_empty_name(
    sessions: sessionmaker[Session],  # noqa: F811
) -> None:
    with sessions() as session, session.begin():
        with pytest.raises(ValidationError) as refused:
            create_operator(session, TOKEN, "   ", "viewer")
        assert refused.value.code is ErrorCode.EMPTY_NAME
