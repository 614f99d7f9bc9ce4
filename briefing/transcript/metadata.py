"""The call's title, company, fiscal period and date, from the header and opening turns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from briefing.transcript.layouts import LayoutResult
from briefing.transcript.roles import clean_company

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH_ALT = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_MDY = re.compile(
    rf"\b(?P<m>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
)
_DATE_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_ALT})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
)
_DATE_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_PERIODS: Sequence[re.Pattern[str]] = (
    re.compile(
        r"\b(?:Q|F?Q)(?P<q>[1-4])\s*(?:FY\s*|fiscal\s+)?'?(?P<y>(?:19|20)\d\d|\d\d)\b", re.I
    ),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)\s*Q(?P<q>[1-4])\b", re.I),
    re.compile(
        r"\b(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\s+(?:of\s+)?(?:the\s+)?"
        r"(?P<fy>fiscal\s+(?:year\s+)?)?(?P<y>(?:19|20)\d\d)\b",
        re.I,
    ),
    re.compile(
        r"\b(?P<fy>fiscal\s+(?:year\s+)?)(?P<y>(?:19|20)\d\d)\s+(?P<o>first|second|third|fourth)"
        r"[- ]quarter\b",
        re.I,
    ),
)
_PERIOD_END = re.compile(r"\b(?:period|quarter|year|months)\s+(?:end(?:ing|ed)?)\b", re.I)
_BODY_PERIOD_DATE = re.compile(
    r"\b(?:end(?:ing|ed)|as of|through|closed|close of)\b|" + _PERIOD_END.pattern, re.I
)
_TITLE_HINT = re.compile(r"earnings|results|conference call|quarter|\bQ[1-4]\b", re.I)


def call_metadata(
    lines: Sequence[str], result: LayoutResult
) -> tuple[str | None, str | None, str | None, date | None]:
    first_turn = result.turns[0].start if result.turns else 1
    header = [line.strip() for line in lines[: max(0, first_turn - 1)] if line.strip()]
    header = header[:60]
    title = next((h for h in header if _TITLE_HINT.search(h) and len(h) < 160), None)
    body_head = " ".join(t.text for t in result.turns[:4])[:6000]
    company = _company_line(header) or _company_from(title, body_head)
    period = _period(title or "", body_head)
    # "for the period ending June 30" dates the quarter, not the call.
    dated = [h for h in header if not _PERIOD_END.search(h)]
    call_date = _find_date(" \n".join(dated)) or _find_date(_call_dated(body_head[:600]))
    return title, company, period, call_date


_TICKER_TAIL = re.compile(r"\s*\((?:[A-Za-z ]{2,14}:\s*)?[A-Z][A-Z0-9.]{0,7}\)\s*$")
_PERIOD_WORDS = re.compile(
    r"\b(?:fiscal\s+)?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|full[- ]year"
    r"|fiscal\s+year|half[- ]year|first\s+half|second\s+half)"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?:fiscal\s+)?(?:year\s+)?(?:19|20)\d\d)?"
    r"|\b(?:fiscal\s+)?(?:19|20)\d\d\b",
    re.I,
)


def _company_line(header: Sequence[str]) -> str | None:
    """A header line that is only the company, with its ticker or legal form
    ("Acme Software, Inc. (NYSE: ACME)"): the clearest statement of who is reporting."""
    for line in header[:6]:
        if _TITLE_HINT.search(line) or _find_date(line) or len(line.split()) > 10:
            continue
        bare = _TICKER_TAIL.sub("", line)
        if bare != line or clean_company(bare) != bare.strip(" ,."):
            company = clean_company(bare)
            if company and company[:1].isupper():
                return company.title() if bare.isupper() and len(company) > 5 else company
    return None


def _company_from(title: str | None, body: str) -> str | None:
    if title:
        t = re.sub(
            r"\b(?:Q[1-4]|[1-4]Q|FY|H[12])\s*'?\d{2,4}\b|\b(?:19|20)\d\d\s*Q[1-4]\b", " ", title
        )
        t = _PERIOD_WORDS.sub(" ", t)
        t = re.sub(
            r"\b(?:(?:full[- ]year|half[- ]year|annual|interim|preliminary|fiscal"
            r"|quarter(?:ly)?)\s+)*"
            r"(?:earnings|results|financial results|conference|call|transcript|presentation).*$",
            "",
            t,
            flags=re.I,
        )
        t = re.sub(r"\((?:[A-Z.]{1,6}|[A-Z]+:\s*[A-Z.]+)\)", " ", t)
        t = " ".join(t.replace("Edited Transcript of", "").split()).strip(" -:,")
        if t and len(t.split()) <= 8:
            company = clean_company(t)
            if company and t.isupper() and len(company) > 5:
                company = company.title()
            return company
    m = re.search(
        r"(?i:welcome)\s+(?:everyone\s+|all\s+)?to\s+(?:the\s+)?(?P<c>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4}?)"
        r"(?:'s|’s)?\s+(?:\d{4}\s+)?(?:Q[1-4]|first|second|third|fourth|fiscal|full|\d{4}|earnings"
        r"|financial|quarterly)",
        body,
    )
    if m:
        return clean_company(re.sub(r"['’]s?$", "", m.group("c")))  # "Acme's earnings call"
    return None


def _period(title: str, body: str) -> str | None:
    for text in (title, body):
        for pattern in _PERIODS:
            m = pattern.search(text)
            if not m:
                continue
            groups = m.groupdict()
            quarter = int(groups["q"]) if groups.get("q") else _ORD[groups["o"].lower()]
            year = groups["y"]
            if len(year) == 2:
                year = "20" + year
            fiscal = bool(groups.get("fy")) or bool(
                re.search(
                    rf"\bfiscal\s+(?:year\s+)?{year}\b|\bFY\s*'?{year[2:]}\b|\bFY{year}\b",
                    title + " " + body,
                    re.I,
                )
            )
            return f"Q{quarter} FY{year}" if fiscal else f"Q{quarter} {year}"
    for text in (title, body):
        m = _HALF_OR_YEAR.search(text)
        if m:
            year = m.group("y") if len(m.group("y")) == 4 else "20" + m.group("y")[-2:]
            kind = m.group("k").lower()
            if kind.startswith(("h1", "first half", "half", "interim")):
                return f"H1 {year}"
            if kind.startswith(("h2", "second half")):
                return f"H2 {year}"
            return f"FY{year}"
    return None


_HALF_OR_YEAR = re.compile(
    r"\b(?P<k>H[12]|first half|second half|half[- ]year|interim|full[- ]year|fiscal year|FY)"
    r"\s*(?:of\s+)?(?:fiscal\s+)?'?(?P<y>(?:19|20)\d\d|\d\d)\b",
    re.I,
)


def _call_dated(text: str) -> str:
    """The sentences of the opening that may date the call: not "the quarter, which ended on
    December 27", "as of June 30" or "through September"."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(s for s in sentences if not _BODY_PERIOD_DATE.search(s))


def _find_date(text: str) -> date | None:
    for pattern in (_DATE_MDY, _DATE_DMY, _DATE_ISO):
        m = pattern.search(text)
        if not m:
            continue
        raw_month = m.group("m")
        month = int(raw_month) if raw_month.isdigit() else _month(raw_month)
        try:
            return date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            continue
    return None


def _month(name: str) -> int:
    low = name.lower()[:3]
    for full, number in _MONTHS.items():
        if full.startswith(low):
            return number
    return 1
