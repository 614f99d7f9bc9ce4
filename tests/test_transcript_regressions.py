"""Reader mistakes found on the examples, kept from coming back."""

from __future__ import annotations

from datetime import date

from briefing.transcript.reader import parse_transcript

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
