"""Roles from titles and from speech, name matching, the operator's introductions."""

from __future__ import annotations

import pytest

from briefing.transcript.model import Role, Turn
from briefing.transcript.reader import parse_transcript
from briefing.transcript.roles import (
    best_match,
    clean_company,
    clean_firm,
    divisional,
    handover_target,
    name_match_score,
    parse_intro,
    role_from_title,
    role_mentions,
    thanked_name,
)
from briefing.transcript.segments import build_exchanges


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Co-Founder, CEO, President & Director", "ceo"),
        ("Executive VP & CFO", "cfo"),
        ("Chairman & Chief Executive Officer", "ceo"),
        ("Chief Executive Officer, Director", "ceo"),
        ("Executive Chairman", "chair"),
        ("President", "president"),
        ("Senior Vice President, Sales", "executive"),
        ("Chief Operating Officer", "coo"),
        ("VP of IR", "ir"),
        ("Senior Director of Capital Markets", "ir"),
        ("Head of Investor Relations", "ir"),
        ("Chief Risk Officer", "executive"),
        ("Group Finance Director", "cfo"),
        ("Analyst", "analyst"),
        ("MD of IT Hardware and Senior Analyst", "analyst"),
        ("Vice Chairman", "executive"),
        ("VP & Treasurer", "executive"),
        ("Chief Accounting Officer", "executive"),
        ("", None),
        (None, None),
    ],
)
def test_role_from_title(title: str | None, role: str | None) -> None:
    assert role_from_title(title) == role


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CEO of Acme Networking", True),
        ("CFO, Americas", True),
        ("Chief Executive Officer, Director", False),
        ("Co-Founder, CEO, President & Director", False),
        ("Chief Executive Officer of the Company", False),
    ],
)
def test_divisional_titles(title: str, expected: bool) -> None:
    assert divisional(title) is expected


def test_one_ceo_when_a_division_head_is_also_titled_ceo() -> None:
    text = "\n".join(
        [
            "Operator: Welcome to the Acme first quarter 2025 call.",
            "Jo Park - Chief Executive Officer: Sales rose 5%.",
            "Al Kim - CEO of Acme Networking: Networking grew 9%.",
            "Operator: Our first question comes from Bea Lo with Zen Bank.",
            "Bea Lo - Zen Bank - Analyst: Margins?",
            "Jo Park - Chief Executive Officer: Stable.",
        ]
    )
    roles = {p.name: p.role for p in parse_transcript(text).participants}
    assert (roles["Jo Park"], roles["Al Kim"], roles["Bea Lo"]) == ("ceo", "executive", "analyst")


def test_names_match_across_spellings_and_ties_match_nobody() -> None:
    assert name_match_score("Haisheng Wu", "Wu Haisheng") == 3
    assert name_match_score("Jensen Huang", "Jen-Hsun Huang") >= 2
    assert name_match_score("Mr. Alex Xu", "Alex Xu") == 3
    assert name_match_score("Colette Kress", "Colette M. Kress") == 3
    assert name_match_score("Alex Xu", "Alex Ye") < 2
    assert best_match("James", ["James Liang", "Jane Sun"], minimum=1) == "James Liang"
    assert best_match("Xu", ["Alex Xu", "Emma Xu"]) is None


def test_role_mentions_in_introductions() -> None:
    text = (
        "Joining me today are Mr. Tang Wei, our Chairman and CEO; Daniel Roe, our CFO; "
        "and Ms. Lin Ma, Chief Technology Officer. I will now turn the call over to our "
        "Chief Executive Officer, Jane Smith."
    )
    found = {(m.name, m.role) for m in role_mentions(text)}
    assert ("Daniel Roe", "cfo") in found
    assert ("Jane Smith", "ceo") in found
    assert any(name == "Tang Wei" for name, _ in found)


def test_handover_and_thanks() -> None:
    assert handover_target("That's all. I'll now turn the call over to our CFO, Jane Smith.") == (
        "Jane Smith",
        "cfo",
    )
    assert handover_target("With that, I will turn the Call over to Peter. Peter, please.") == (
        "Peter",
        None,
    )
    assert handover_target("With that I'd like to hand the call over to our CFO.") == (None, "cfo")
    assert handover_target("Operator, please open the line.") == (None, None)
    assert thanked_name("Uh, thank you, Michelle. Good morning.") == "Michelle"
    assert thanked_name("Thank you everyone for joining.") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Your first question comes from the line of Marta Quill with Kestrel Partners.",
            ("Marta Quill", "Kestrel Partners"),
        ),
        ("(Operator Instructions) Oskar, Ashgrove Securities.", ("Oskar", "Ashgrove Securities")),
        (
            "We have the first question on the phone lines from Dev Ramani of Halvard. "
            "So Dev, please go ahead.",
            ("Dev Ramani", "Halvard"),
        ),
        (
            "Thank you. Your next question comes from Lena Brandt from Corvane. Please go ahead.",
            ("Lena Brandt", "Corvane"),
        ),
        (
            "Our next question is from Ana Ruiz at Pillar Research. Your line is open.",
            ("Ana Ruiz", "Pillar Research"),
        ),
        ("Thank you. We have no further questions.", None),
    ],
)
def test_operator_introductions(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_intro(text) == expected


def test_firm_and_company_cleaning() -> None:
    assert clean_firm("Sanford C. Bernstein & Co., LLC., Research Division") == (
        "Sanford C. Bernstein"
    )
    assert clean_firm("Goldman Sachs Group, Inc., Research Division") == "Goldman Sachs Group"
    assert clean_firm("Pillar Research") == "Pillar Research"
    assert clean_company("NVIDIA Corporation") == "NVIDIA"
    assert clean_company("The Aaron's Company, Inc.") == "The Aaron's Company"


def _turn(i: int, speaker: str, role: Role, text: str = "Text.") -> Turn:
    return Turn(
        index=i,
        speaker=speaker,
        role=role,
        section="qa",
        text=text,
        line_start=i + 1,
        line_end=i + 1,
    )


def test_exchanges_follow_ups_and_operator_boundaries() -> None:
    turns = [
        _turn(0, "Operator", "operator", "Our first question comes from Ann Lee with Foo Bank."),
        _turn(1, "Ann Lee", "analyst"),
        _turn(2, "Jo CEO", "ceo"),
        _turn(3, "Ann Lee", "analyst", "A follow-up."),
        _turn(4, "Jo CFO", "cfo"),
        _turn(5, "Operator", "operator", "Next question comes from Ann Lee with Foo Bank."),
        _turn(6, "Ann Lee", "analyst", "Back in the queue."),
        _turn(7, "Jo CEO", "ceo"),
        _turn(8, "Bo Kim", "analyst", "No operator between us."),
        _turn(9, "Jo CFO", "cfo"),
        _turn(10, "Operator", "operator", "There are no further questions. Back to management."),
        _turn(11, "Jo CEO", "ceo", "Closing remarks."),
    ]
    exchanges = build_exchanges(turns, {})
    assert [
        (e.name, [q.index for q in e.questions], [a.index for a in e.answers]) for e in exchanges
    ] == [
        ("Ann Lee", [1, 3], [2, 4]),
        ("Ann Lee", [6], [7]),
        ("Bo Kim", [8], [9]),
    ]
    assert exchanges[0].firm == "Foo Bank"  # from the operator's introduction
    assert exchanges[2].firm is None
    assert exchanges[0].answered_by == ["Jo CEO", "Jo CFO"]
