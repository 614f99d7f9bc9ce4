"""Reader mistakes found on the examples, kept from coming back."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.transcript.reader import parse_transcript
from briefing.transcript.roles import parse_intro

CALL = """\
Larkspur Foods, Inc. (LKSP) Q1 2027 Earnings Call Transcript

LKSP earnings call for the period ending March 31, 2027.

May 4, 2027, 8:30 a.m. ET

Prepared Remarks:

Operator

Good morning, and welcome to Larkspur Foods' first quarter 2027 earnings call. I would now like
to turn the call over to Rosa Lind, Chief Executive Officer. Please go ahead.

Rosa Lind -- Chief Executive Officer

Thank you. Revenue was $410 million, up 5% year over year. I'll hand over to our CFO.

Tom Achebe -- Chief Financial Officer

Gross margin was 31.2%, up 40 basis points. We expect revenue of $1.7 billion for the year.

Questions and Answers:

Operator

Our first question comes from Meera Shah with RBC Capital Markets.

Meera Shah -- RBC Capital Markets -- Analyst

Is the recall charge fully behind you?

Tom Achebe -- Chief Financial Officer

Sure, Meera. The $6 million charge covers every claim we know of.

Operator

Our next question comes from Luis Prado with Oppenheimer.

Luis Prado -- Oppenheimer -- Analyst

Will the new plant change your margin outlook?

Rosa Lind -- Chief Executive Officer

No, Luis. We still expect gross margin of 31% to 32% for the year.

Operator

This concludes today's call.

Call participants:

Rosa Lind -- Chief Executive Officer

Tom Achebe -- Chief Financial Officer

Meera Shah -- RBC Capital Markets -- Analyst

Luis Prado -- Oppenheimer -- Analyst
"""


def test_an_answer_opening_with_the_analysts_name_is_an_answer() -> None:
    t = parse_transcript(CALL)
    answered = [(e.name, e.answered_by) for e in t.exchanges]
    assert answered == [("Meera Shah", ["Tom Achebe"]), ("Luis Prado", ["Rosa Lind"])]
    assert "$6 million charge" in t.exchanges[0].answers[0].text


def test_the_period_end_is_not_the_call_date() -> None:
    assert parse_transcript(CALL).call_date == date(2027, 5, 4)


# --- plain layout: the header above the first turn ("Name - Title: text" turns) ----------

PLAIN_HEADER = """\
Quellwood Analytics, Inc. (NASDAQ: QWAN)
Fiscal Third Quarter 2027 Earnings Conference Call
March 3, 2027, 4:30 p.m. ET
"""

PLAIN_BODY = """\
Operator: Good afternoon, and welcome to Quellwood Analytics' earnings call for the third
quarter of fiscal 2027. After the presentation there will be a question-and-answer session.
I will now turn the call over to Hana Petrov, Chief Executive Officer.

Hana Petrov - Chief Executive Officer: Thank you. Revenue grew 14% to $212 million. Our CFO
Owen Marsh will take you through the numbers.

Owen Marsh - Chief Financial Officer: Thanks, Hana. Gross margin was 71%. For the fourth
quarter we expect revenue of $220 million to $224 million.

Operator: Our first question comes from Lucas Brandt with Halcrow Partners.

Lucas Brandt - Analyst, Halcrow Partners, Inc.: How durable is the margin gain?

Owen Marsh - Chief Financial Officer: Most of it is structural, Lucas.

Operator: Our next question comes from Mei Tanaka with Ridgeway Securities.

Mei Tanaka - Analyst, Ridgeway Securities: What drove the churn improvement?

Hana Petrov - Chief Executive Officer: Better onboarding, Mei.

Operator: That concludes today's call. You may now disconnect.
"""


def test_a_company_header_line_is_not_a_speaker_turn() -> None:
    t = parse_transcript(PLAIN_HEADER + "\n" + PLAIN_BODY)
    assert t.layout == "plain"
    assert [p.name for p in t.participants] == [
        "Operator",
        "Hana Petrov",
        "Owen Marsh",
        "Lucas Brandt",
        "Mei Tanaka",
    ]
    assert t.turns[0].speaker == "Operator"
    assert t.company == "Quellwood Analytics"
    assert t.fiscal_period == "Q3 FY2027"
    assert t.call_date == date(2027, 3, 3)
    # the header no longer counts as a speaker, so the operator's "there will be a
    # question-and-answer session" does not open the Q&A before the prepared remarks
    assert [r.group for r in t.remarks] == ["ceo", "cfo"]
    assert [(e.name, e.firm) for e in t.exchanges] == [
        ("Lucas Brandt", "Halcrow Partners"),
        ("Mei Tanaka", "Ridgeway Securities"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Quellwood Analytics, Inc.: Fiscal Q3 2027 results",
        "Quellwood Analytics Holdings: third quarter call",
        "Earnings Conference Call: Quellwood Analytics",
        "QUELLWOOD ANALYTICS (NYSE: QWAN)",
        "QUELLWOOD ANALYTICS CORP: THIRD QUARTER CALL",
        "Quellwood Analytics: Fiscal Q3 2027 Earnings Call",
        "Company Participants:\nHana Petrov - Chief Executive Officer\nOwen Marsh - CFO",
    ],
)
def test_header_lines_with_a_colon_are_not_speakers(header: str) -> None:
    t = parse_transcript(header + "\n\n" + PLAIN_BODY)
    assert t.turns[0].speaker == "Operator"
    assert sorted(p.name for p in t.participants if p.role == "analyst") == [
        "Lucas Brandt",
        "Mei Tanaka",
    ]


def test_a_surname_that_is_a_header_word_is_still_a_speaker() -> None:
    body = PLAIN_BODY.replace("Mei Tanaka", "Brandon Call")
    t = parse_transcript(PLAIN_HEADER + "\n" + body)
    assert [e.name for e in t.exchanges] == ["Lucas Brandt", "Brandon Call"]


def test_the_company_is_not_read_as_a_possessive() -> None:
    t = parse_transcript(PLAIN_BODY)  # no header: the company comes from the welcome
    assert t.company == "Quellwood Analytics"


def test_an_upper_case_legal_suffix_is_dropped_from_the_company() -> None:
    t = parse_transcript("Q3 2027 HALVERN BANK NV EARNINGS CALL\n\n" + PLAIN_BODY)
    assert t.company == "Halvern Bank"


# --- an analyst back through the queue with a follow-up -----------------------------------

REQUEUED = PLAIN_BODY.replace(
    "Operator: That concludes",
    """\
Operator: Our next question is a follow-up from Lucas Brandt with Halcrow Partners.

Lucas Brandt - Analyst, Halcrow Partners, Inc.: One more on pricing: is it in the guide?

Owen Marsh - Chief Financial Officer: Yes, all of it.

Operator: Our next question comes from Mei Tanaka with Ridgeway Securities.

Mei Tanaka - Analyst, Ridgeway Securities: And the second half?

Hana Petrov - Chief Executive Officer: We expect the same trend.

Operator: That concludes""",
)


def test_a_follow_up_from_the_queue_continues_the_analysts_exchange() -> None:
    t = parse_transcript(PLAIN_HEADER + "\n" + REQUEUED)
    assert [e.name for e in t.exchanges] == ["Lucas Brandt", "Mei Tanaka", "Mei Tanaka"]
    first = t.exchanges[0]
    assert [q.text for q in first.questions] == [
        "How durable is the margin gain?",
        "One more on pricing: is it in the guide?",
    ]
    assert [a.text for a in first.answers] == [
        "Most of it is structural, Lucas.",
        "Yes, all of it.",
    ]
    # without "follow-up" in the introduction a second turn at the microphone is a new
    # exchange, as the call counts it
    assert len(t.exchanges[2].questions) == 1


# --- operator introductions and titles in speech ------------------------------------------


@pytest.mark.parametrize(
    "intro",
    [
        "Next, we have Jane Doe from Harwick Securities.",
        "We'll go next to Jane Doe with Harwick Securities.",
        "We'll move next to Jane Doe of Harwick Securities.",
        "Next question, Jane Doe, Harwick Securities.",
        "Next we'll hear from Jane Doe at Harwick Securities.",
        "The next question comes from Jane Doe, Analyst at Harwick Securities.",
    ],
)
def test_operator_introductions_in_other_words(intro: str) -> None:
    assert parse_intro(intro) == ("Jane Doe", "Harwick Securities")


def test_a_title_someone_will_take_later_is_not_their_role_today() -> None:
    text = """\
Operator: Welcome to the Quellwood Analytics third quarter 2027 earnings call. I will now
turn the call over to Hana Petrov, Chief Executive Officer.

Hana Petrov: Thank you. With me are Owen Marsh, our Chief Financial Officer, and Ines Calder,
our Chief Operating Officer. Revenue grew 14%.
Owen will retire, and Ines Calder, our Chief Operating Officer, will become our CFO in May.

Owen Marsh: Thanks, Hana. Gross margin was 71%.

Operator: Our first question comes from Lucas Brandt with Halcrow Partners.

Lucas Brandt: How is the hiring plan going?

Ines Calder: On track, Lucas.
"""
    roles = {p.name: p.role for p in parse_transcript(text).participants}
    assert roles["Hana Petrov"] == "ceo"
    assert roles["Owen Marsh"] == "cfo"
    assert roles["Ines Calder"] == "coo"


def test_a_title_wrapped_across_lines_is_read() -> None:
    text = """\
Operator: Welcome to the Quellwood Analytics third quarter 2027 earnings call.

Hana Petrov: Thank you. With me is Owen Marsh, our Chief
Financial Officer. Revenue grew 14%. Owen?

Owen Marsh: Thanks, Hana. Gross margin was 71%.

Operator: Our first question comes from Lucas Brandt with Halcrow Partners.

Lucas Brandt: How is the hiring plan going?

Owen Marsh: On track, Lucas.
"""
    roles = {p.name: p.role for p in parse_transcript(text).participants}
    assert roles["Owen Marsh"] == "cfo"


def test_a_dashed_call_title_is_not_a_motley_fool_speaker_line() -> None:
    title, rest = CALL.split("\n", 1)
    header = f"{title}\n\nLarkspur Foods Holdings -- Q1 2027 Earnings Call Transcript\n"
    t = parse_transcript(header + rest)
    assert t.turns[0].speaker == "Operator"
    assert "Larkspur Foods Holdings" not in {p.name for p in t.participants}
    assert [e.name for e in t.exchanges] == ["Meera Shah", "Luis Prado"]


def test_a_quarter_end_in_the_opening_is_not_the_call_date() -> None:
    undated = CALL.replace("LKSP earnings call for the period ending March 31, 2027.\n\n", "")
    undated = undated.replace("May 4, 2027, 8:30 a.m. ET\n\n", "")
    undated = undated.replace(
        "Thank you. Revenue",
        "Thank you. Our first quarter ended on April 1, 2027. Revenue",
    )
    assert parse_transcript(undated).call_date is None
