"""The demo's one pending application (``tongdui up --demo``), so the consortium page's review
card has something to approve or reject at once. Filed once: not when any application exists.

Its operator is a key derived from a fixed text (``DEMO_APPLICANT_KEY``: development only, as
anvil's), so a tester can sign for the admitted program; the licence number is a made-up
unified social credit code with a valid check character.
"""

from __future__ import annotations

from eth_account import Account
from eth_utils import keccak
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ..core.db import transaction
from .models import OnboardingApplication
from .service import Filed, submit
from .validation import ApplicationForm, uscc_check_character

DEMO_LICENCE_17 = "91310000MA1K4LXY2"
DEMO_APPLICANT_KEY = "0x" + keccak(text="tongdui demo applicant").hex()


def demo_application() -> ApplicationForm:
    return ApplicationForm(
        company_name="上海茶语餐饮管理有限公司",
        licence_number=DEMO_LICENCE_17 + uscc_check_character(DEMO_LICENCE_17),
        contact_name="李娜",
        contact_email="li.na@chayu.example",
        contact_phone="+86 21 5555 0100",
        program_name="Chayu Tea Points",
        symbol="TEA",
        admin=Account.from_key(DEMO_APPLICANT_KEY).address,
        issuance_cap=5_000_000,
        point_value=3,
    )


def seed_demo_application(sessions: sessionmaker[Session]) -> Filed | None:
    """Files the demo application unless there is any application already."""
    with transaction(sessions) as session:
        if session.scalar(select(func.count()).select_from(OnboardingApplication)):
            return None
        return submit(session, demo_application())
