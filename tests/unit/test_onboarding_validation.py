"""An onboarding application's checks: the licence number is a unified social credit code
whose check character matches (GB 32100-2015), the e-mail and phone have their shape, and
every field's problem is named at once."""

from __future__ import annotations

from dataclasses import replace

from tongdui.onboarding.demo import demo_application
from tongdui.onboarding.validation import (
    licence_problem,
    normalise,
    problems,
    uscc_check_character,
)

# the standard's own example code, as public documents print it
PUBLISHED_EXAMPLE = "91350100M000100Y43"


def test_the_check_character_of_the_published_example_matches() -> None:
    assert uscc_check_character(PUBLISHED_EXAMPLE[:17]) == PUBLISHED_EXAMPLE[17]
    assert licence_problem(PUBLISHED_EXAMPLE) is None


def test_a_licence_number_with_one_mistyped_character_is_refused() -> None:
    typo = PUBLISHED_EXAMPLE[:5] + "2" + PUBLISHED_EXAMPLE[6:]
    assert "check" in (licence_problem(typo) or "")


def test_a_licence_number_of_the_wrong_length_or_letters_is_refused_with_why() -> None:
    assert "18 characters" in (licence_problem("91350100M000100Y4") or "")
    assert "found IO" in (licence_problem("91350100M000100IO3") or "")
    assert "enter" in (licence_problem("") or "")


def test_the_demo_application_has_no_problem() -> None:
    assert problems(normalise(demo_application())) == []


def test_every_problem_is_named_by_its_field_at_once() -> None:
    bad = replace(
        demo_application(),
        licence_number="",
        contact_email="li.na@",
        contact_phone="call me",
        symbol="tea points",
        admin="0x" + "0" * 40,
        point_value=2**64,
    )
    assert [p.field for p in problems(normalise(bad))] == [
        "licenceNumber",
        "contactEmail",
        "contactPhone",
        "symbol",
        "admin",
        "pointValue",
    ]


def test_normalising_trims_and_upper_cases_the_licence_and_symbol() -> None:
    form = replace(
        demo_application(),
        licence_number=" 91350100m000100y43 ",
        symbol=" tea ",
        contact_email="Li.Na@ChaYu.Example",
    )
    clean = normalise(form)
    assert (clean.licence_number, clean.symbol) == (PUBLISHED_EXAMPLE, "TEA")
    assert clean.contact_email == "Li.Na@chayu.example"
    assert problems(clean) == []
