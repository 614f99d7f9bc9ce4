"""Who is who: roles from titles, names and roles from what is said, matching names.

Transcripts spell one person several ways ("Jen-Hsun Huang", "Jensen Huang", "Mr. Huang";
"Haisheng Wu", "Mr. Wu Haisheng"), and speech-recognition output names nobody. These
helpers are deliberately forgiving about spelling and strict about ambiguity: a name that
matches two people matches neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefing.transcript.model import Role

_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mister", "messrs", "jr", "sr"}
)
_NAME_PARTICLES = frozenset({"de", "van", "von", "da", "di", "del", "la", "le", "der", "dos"})

OPERATOR_NAMES = frozenset(
    {"operator", "moderator", "conference operator", "coordinator", "host", "facilitator"}
)
NON_PERSON_NAMES = frozenset(
    {
        "editor",
        "unidentified speaker",
        "unidentified participant",
        "unidentified analyst",
        "unidentified company representative",
        "unidentified company speaker",
        "unknown speaker",
        "unknown",
        "interpreter",
        "translator",
        "corporate participant",
        "company representative",
        "management",
        "video",
        "presentation",
    }
)


@lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case name parts without honorifics, initials or punctuation."""
    cleaned = re.sub(r"<[^>]*>|\([^)]*\)", " ", name)
    parts = re.split(r"[\s,]+", cleaned.replace("-", " ").replace("’", "'"))
    out: list[str] = []
    for part in parts:
        token = part.strip(".'\"*").lower()
        if not token or token in _HONORIFICS or not any(c.isalpha() for c in token):
            continue
        if len(token.replace(".", "")) <= 1:
            continue
        out.append(token)
    return tuple(out)


def name_match_score(a: str, b: str) -> int:
    """How well two spellings of a name agree: 0 (not the same person) to 3."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0
    common = set(ta) & set(tb)
    if not common:
        joined_a, joined_b = "".join(ta), "".join(tb)
        return 1 if joined_a == joined_b else 0
    if len(ta) == 1 or len(tb) == 1:
        return 2 if ta[0] == tb[0] or ta[-1] == tb[-1] else 1
    if len(common) >= 2:
        return 3
    if ta[-1] == tb[-1]:
        return 2  # same surname: "Jensen Huang" / "Jen-Hsun Huang"
    if ta[0] == tb[0]:
        return 1  # same given name only: weak
    return 1


def best_match(name: str, candidates: Iterable[str], *, minimum: int = 2) -> str | None:
    """The one candidate that matches ``name`` best; None when none or a tie."""
    scored = [(name_match_score(name, c), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s >= minimum]
    if not scored:
        return None
    top = max(s for s, _ in scored)
    winners = {c for s, c in scored if s == top}
    return winners.pop() if len(winners) == 1 else None


def is_operator_name(name: str) -> bool:
    return name.strip().lower().rstrip(":") in OPERATOR_NAMES


def is_non_person(name: str) -> bool:
    low = name.strip().lower()
    return low in NON_PERSON_NAMES or low.startswith(("unidentified", "unknown"))


_CEO = re.compile(r"\bchief executive\b|\bc\.?e\.?o\b|\bgroup chief executive\b", re.I)
_CFO = re.compile(
    r"\bchief financial\b|\bc\.?f\.?o\b|\bfinance director\b|\bprincipal financial\b"
    r"|\bhead of finance\b|\bdirector of finance\b",
    re.I,
)
_COO = re.compile(r"\bchief operating\b|\bc\.?o\.?o\b", re.I)
_PRESIDENT = re.compile(r"\bpresident\b", re.I)
_VICE = re.compile(r"\bvice[- ]president\b|\bv\.?p\b|\bsvp\b|\bevp\b", re.I)
_CHAIR = re.compile(r"\bchair(?:man|woman|person)?\b", re.I)
_IR = re.compile(
    r"investor relations|\bIR\b|capital markets|corporate communications|head of investor"
    r"|\binvestor\b|\bcorporate affairs\b|\bcorporate development\b",
    re.I,
)
_ANALYST = re.compile(
    r"\banalyst\b|research division|\bresearch\b|\bequity\b|\bsecurities\b|\bcapital\b"
    r"|\bpartners\b|\bmanaging director\b|\bportfolio manager\b|\basset management\b",
    re.I,
)
_EXEC = re.compile(
    r"\bchief\b|\bofficer\b|\bdirector\b|\bhead\b|\bvice\b|\bvp\b|\bsvp\b|\bevp\b|\bfounder\b"
    r"|\bgeneral counsel\b|\bsecretary\b|\bmanager\b|\bexecutive\b|\bpresident\b|\bpartner\b"
    r"|\bcontroller\b|\bgm\b|\bgeneral manager\b|\bleader\b|\blead\b",
    re.I,
)


@lru_cache(maxsize=4096)
def role_from_title(title: str | None) -> Role | None:
    """The role a company title states; None when the title says nothing usable.

    The strongest claim wins: "Co-Founder, CEO, President & Director" is the CEO, "Executive
    VP & CFO" the CFO, "Chairman & CEO" the CEO, "Executive Chairman" the chair.
    """
    if not title:
        return None
    t = " ".join(title.split())  # a title wrapped across lines reads as one
    if re.search(r"\banalyst\b", t, re.I):
        return "analyst"
    if _CEO.search(t) and not re.search(r"\bdeputy\b|\bassistant to\b", t, re.I):
        return "ceo"
    if _CFO.search(t):
        return "cfo"
    if _IR.search(t) and not _CEO.search(t):
        return "ir"
    if _COO.search(t):
        return "coo"
    if _PRESIDENT.search(t) and not _VICE.search(t):
        return "president"
    if _CHAIR.search(t) and not re.search(r"\bvice[- ]chair", t, re.I):
        return "chair"
    if _EXEC.search(t):
        return "executive"
    return None


_DIVISIONAL = re.compile(
    r"(?:\bc[efo]o\b|chief (?:executive|financial|operating) officer)\s*(?:,|-|–|of|for)\s*"
    r"(?!the company|the group|the board|director\b)[A-Za-z]",
    re.I,
)


def divisional(title: str | None) -> bool:
    """A CEO or CFO title that is qualified by a division ("CEO of Cloud", "CFO, Americas")."""
    if not title:
        return False
    m = _DIVISIONAL.search(title)
    if not m:
        return False
    rest = title[m.end() - 1 :].strip().lower()
    return not rest.startswith(("president", "director", "chair", "co-founder", "founder", "&"))


def looks_like_analyst_affiliation(text: str | None) -> bool:
    return bool(text) and bool(_ANALYST.search(text or ""))


# --- what is said ------------------------------------------------------------------------

_ROLE_PHRASES: Sequence[tuple[Role, str]] = (
    ("ceo", r"chief executive officer|chief executive|group ceo|ceo|c\.e\.o\."),
    ("cfo", r"chief financial officer|finance director|cfo|c\.f\.o\."),
    ("coo", r"chief operating officer|coo"),
    ("chair", r"executive chairman|chairman|chairwoman|chair|chairperson"),
    ("president", r"president"),
    (
        "ir",
        r"head of investor relations|director of investor relations|investor relations"
        r"|ir director|head of ir|director of ir|vp of ir",
    ),
)
_ANY_SPACE = r"\s+"  # a title may be wrapped across lines ("our Chief\nOperating Officer")
_ROLE_ALT = (
    "(?i:"
    + "|".join(f"(?P<{role}>{pattern.replace(' ', _ANY_SPACE)})" for role, pattern in _ROLE_PHRASES)
    + ")"
)
_NAME = r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][A-Za-z'’.-]+(?:\s+(?:[A-Z][A-Za-z'’.-]*|<unk>)){0,3}"
_BEFORE_NAME = re.compile(
    rf"(?:our|the company's|[A-Z][\w.&']*'s)\s+(?:[\w-]+\s+){{0,3}}?(?:{_ROLE_ALT})"
    rf"(?:\s+and\s+[\w\s]+?)?,?\s+(?P<name>{_NAME})"
)
_AFTER_NAME = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:(?:our|the|[A-Z][\w.&']*'s)\s+)?(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{_ROLE_ALT})\b"
)
_STOP_NAMES = frozenset(
    {
        "i",
        "we",
        "and",
        "the",
        "our",
        "with",
        "thank",
        "thanks",
        "joining",
        "today",
        "also",
        "now",
        "so",
        "good",
        "hello",
        "hi",
        "first",
        "then",
        "before",
        "after",
        "this",
        "that",
        "with that",
        "okay",
        "ok",
        "yes",
        "great",
        "again",
        "and then",
        "as",
    }
)


_ROLE_WORDS = re.compile(
    r"(?i:(?:the\s+|our\s+)?(?:ceo|cfo|coo|cto|chair\w*|president|chief\b.*|executive\b.*"
    r"|management|team|operator|everyone|all|ir|investor relations))"
)


@dataclass(frozen=True)
class Mention:
    """A name tied to a role in speech ("our CFO, Jane Smith"), found at ``pos``."""

    name: str
    role: Role
    pos: int


def _clean_name(raw: str) -> str | None:
    name = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", raw.strip())
    kept: list[str] = []
    for word in name.split():
        kept.append(word)
        if word.endswith(".") and len(word.rstrip(".")) > 1 and "." not in word.rstrip("."):
            kept[-1] = word.rstrip(".")
            break  # "James. James, please": the sentence ended with the name
    name = " ".join(kept)
    name = re.sub(r"\s+(?:and|our|who|is|will|has|the)\b.*$", "", name)
    words = name.split()
    while words and words[-1].lower() in _STOP_NAMES | {"<unk>"}:
        words.pop()
    while words and words[0].lower() in _STOP_NAMES:
        words.pop(0)
    if not words or len(words) > 4:
        return None
    name = " ".join(words).strip(" ,.;")
    if not name or name.lower() in _STOP_NAMES or not name[0].isupper():
        return None
    if _ROLE_WORDS.fullmatch(name):
        return None  # "over to our CFO." names a role, not a person
    if any(re.search(r"\w\.\w{2,}|\d", w) for w in name.split()):
        return None  # "Trip.com", "Q3": a company or a period, not a person
    return name


_SPAN_END = re.compile(
    r";|\.(?:\s|$)|\s(?:and\s+)?(?:Mr|Ms|Mrs|Dr)\.?\s|,\s+(?:and\s+)?[A-Z][a-z]+\s+[A-Z][a-z]+,"
    # a verb ends the title: "Jane, our COO, will become CFO" is still the COO today
    r"|,?\s+(?:who|will|would|shall|is|was|has|had|joins|joined|becomes?|became|takes?|took"
    r"|succeeds?|succeeded|replaces?|replaced|to\s+become)\b"
)
_ROLE_RANK: dict[str, int] = {
    "ceo": 7,
    "cfo": 6,
    "coo": 5,
    "president": 4,
    "chair": 3,
    "ir": 2,
    "executive": 1,
}


def _title_span(text: str, start: int, end: int) -> str:
    """The words that state a title, from ``start`` up to the next name or sentence end."""
    window = text[start : min(len(text), end + 90)]
    cut = _SPAN_END.search(window, max(0, end - start))
    return window[: cut.start()] if cut else window


def role_mentions(text: str) -> list[Mention]:
    """Names tied to roles in speech, in order of appearance.

    The whole title is read, so "Jensen Huang, President and Chief Executive Officer" is
    the CEO and "Executive Vice President and CFO" the CFO.
    """
    found: list[Mention] = []
    for pattern in (_BEFORE_NAME, _AFTER_NAME):
        for m in pattern.finditer(text):
            phrase = next((r for r, _ in _ROLE_PHRASES if m.group(r)), None)
            name = _clean_name(m.group("name"))
            if phrase is None or name is None:
                continue
            if pattern is _AFTER_NAME:
                span = _title_span(text, m.end("name"), m.end())
            else:
                span = text[m.start() : m.start("name")]
            stated = role_from_title(span)
            role: Role = stated if stated not in (None, "executive", "analyst") else phrase
            if role == "president" and re.search(r"\bvice[- ]president\b", span, re.I):
                continue
            found.append(Mention(name, role, m.start()))
    found.sort(key=lambda mention: mention.pos)
    return found


def stronger_role(current: Role, new: Role) -> bool:
    """Whether ``new`` says more than ``current`` (a CEO who is also president is the CEO)."""
    return _ROLE_RANK.get(new, 0) > _ROLE_RANK.get(current, 0)


_HANDOVER = re.compile(
    rf"(?:over|it|call|floor|conference|line)\s+(?:back\s+)?(?:over\s+)?to\s+"
    rf"(?:(?:our|the|my colleague,?)\s+)?(?:(?:{_ROLE_ALT})\s*,?\s+)?(?P<name>{_NAME})"
)


_HANDOVER_ROLE = re.compile(
    rf"(?:over|it|call|floor|conference|line)\s+(?:back\s+)?(?:over\s+)?to\s+"
    rf"(?:our|the|my)\s+(?:{_ROLE_ALT})\b"
)


def handover_target(text: str) -> tuple[str | None, Role | None]:
    """Who the speaker hands over to at the end of a turn ("turn the call over to Jane").

    Either may be missing: "over to our CFO" names a role only, "over to Jane" a name only.
    """
    tail = text[-400:]
    last: tuple[str | None, Role | None] = (None, None)
    for m in _HANDOVER_ROLE.finditer(tail):
        role = next((r for r, _ in _ROLE_PHRASES if m.group(r)), None)
        last = (None, role)
    for m in _HANDOVER.finditer(tail):
        role = next((r for r, _ in _ROLE_PHRASES if m.group(r)), None)
        name = _clean_name(m.group("name"))
        if name is None:
            continue
        if name.lower() in OPERATOR_NAMES:
            last = ("Operator", "operator")
            continue
        last = (name, role)
    return last


_SELF = re.compile(
    rf"(?:\b(?i:i am|i'm|this is|my name is|it's)\s+)(?P<name>{_NAME})"
    rf"(?:,?\s+(?:the\s+|our\s+|[\w&.'’]+'s\s+)?(?:{_ROLE_ALT})\b)?"
)


def self_introduction(text: str) -> tuple[str | None, Role | None]:
    """A speaker naming themself early in a turn: "Hi, this is Tom Lee, CFO of Acme"."""
    m = _SELF.search(text[:240])
    if not m:
        return None, None
    role = next((r for r, _ in _ROLE_PHRASES if m.group(r)), None)
    return _clean_name(m.group("name")), role


_THANKS = re.compile(
    r"^\W*(?i:(?:(?:uh|um|okay|ok|yes|yeah|great|sure),?\s+)*(?:thank you|thanks)"
    rf"(?: very much| so much)?),?\s+(?P<name>{_NAME})"
)


def thanked_name(text: str) -> str | None:
    """The name a turn opens by thanking ("Thank you, James."): usually the previous speaker."""
    m = _THANKS.match(text[:120])
    if not m:
        return None
    name = _clean_name(m.group("name"))
    if name is None or name.lower() in {"everyone", "all", "operator", "you"}:
        return None
    return name


# --- the operator's introductions ---------------------------------------------------------

_FIRM = r"[A-Z0-9][\w&.'’-]*(?:[ \t]+(?:[A-Z0-9&][\w&.'’-]*|and|of|de|du|et|&))*"
# what joins a name to its firm: "Jane Doe, Acme", "Jane Doe, Analyst at Acme", "Jane Doe of Acme"
_TO_FIRM = (
    r"\s*(?:,\s*(?:(?i:an?\s+)?(?i:analyst)\s+(?:at|with|from)\s+)?"
    r"|\s+(?:with|from|of|at)\s+(?:the\s+)?)"
)
_INTRO_PATTERNS: Sequence[re.Pattern[str]] = (
    re.compile(
        r"(?:question|questions)\s+(?:(?:is|are|will)\s+)?(?:(?:coming|comes|come)\s+)?"
        r"(?:from|on)\s+(?:the\s+line\s+of\s+|line\s+of\s+)?"
        rf"(?P<name>{_NAME}){_TO_FIRM}(?P<firm>{_FIRM})"
    ),
    re.compile(
        r"(?:go|move|turn|proceed)\s+(?:over\s+)?(?:next\s+)?to\s+(?:the\s+line\s+of\s+)?"
        rf"(?P<name>{_NAME}){_TO_FIRM}(?P<firm>{_FIRM})"
    ),
    re.compile(
        r"(?:from|is|we\s+have|hear\s+from)\s+(?:the\s+line\s+of\s+)?"
        rf"(?P<name>{_NAME})\s+(?:with|from|of|at)\s+(?:the\s+)?(?P<firm>{_FIRM})"
    ),
    re.compile(rf"^(?:next\s+)?question[,:]\s+(?P<name>{_NAME}),\s+(?P<firm>{_FIRM})", re.I),
    re.compile(
        r"(?:question|questions)\s+(?:(?:is|are)\s+)?(?:(?:coming|comes)\s+)?(?:from|on)\s+"
        rf"(?:the\s+line\s+of\s+)?(?P<name>{_NAME})(?P<firm>)"
    ),
)
_BARE_INTRO = re.compile(rf"^(?P<name>{_NAME}),\s+(?P<firm>{_FIRM})\.?$")
_FIRM_TRAILERS = re.compile(
    r"[\s,.]+(?:Please|Your|You|Go|Over|Mr|Ms|Sir|Thank|Thanks|Kindly|The|We|Our|Please go ahead)"
    r"\b.*$"
)


# Words that open an answer ("Sure, Meera.") and would otherwise read as "Name, Firm".
_INTERJECTIONS = frozenset(
    [
        "sure",
        "no",
        "yes",
        "yeah",
        "okay",
        "ok",
        "thanks",
        "thank",
        "well",
        "so",
        "great",
        "right",
        "hi",
        "hello",
        "good",
        "absolutely",
        "correct",
        "exactly",
        "indeed",
        "fair",
        "look",
        "sorry",
        "morning",
        "afternoon",
        "evening",
    ]
)


@lru_cache(maxsize=4096)
def parse_intro(text: str, *, bare: bool = True) -> tuple[str, str | None] | None:
    """The analyst (and firm) an operator turn introduces, if it introduces one.

    ``bare`` also accepts the terse "Richard, Morgan Stanley." form, which only an operator
    or a very short moderating turn uses.
    """
    sentences = re.split(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+", text.replace("\n", " "))
    for sentence in sentences:
        s = re.sub(r"\((?:Operator Instructions|operator instructions)\)|\[[^\]]*\]", "", sentence)
        s = s.strip()
        for pattern in _INTRO_PATTERNS:
            m = pattern.search(s)
            if m:
                name = _clean_name(m.group("name"))
                if name is None or name.lower() in {"line", "the line"}:
                    continue
                return name, _clean_firm(m.group("firm"))
        m = _BARE_INTRO.match(s) if bare else None
        if m and len(s.split()) <= 10:
            name = _clean_name(m.group("name"))
            if name and name.split()[0].lower() not in _INTERJECTIONS:
                return name, _clean_firm(m.group("firm"))
    return None


def _clean_firm(raw: str | None) -> str | None:
    if not raw:
        return None
    firm = _FIRM_TRAILERS.sub("", raw).strip(" ,.;")
    return firm or None


_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Incorporated|Corp|Corporation|Co|Ltd|Limited|LLC|L\.L\.C|LP|L\.P|plc"
    r"|PLC|S\.A|SA|N\.V|NV|AG|SE|ASA|AB|Oyj"
    r"|INC|INCORPORATED|CORP|CORPORATION|CO|LTD|LIMITED|OYJ)\.?)+$"
)
_RESEARCH_SUFFIX = re.compile(r",?\s*(?:Research Division|Research Department)\s*$", re.I)


def clean_firm(affiliation: str | None) -> str | None:
    """An analyst's firm as a reader names it: no ", Research Division", no legal suffix."""
    if not affiliation:
        return None
    firm = _RESEARCH_SUFFIX.sub("", affiliation.strip())
    firm = re.sub(r",\s*(?:Inc|LLC|Ltd)\.?(?=,)", "", firm)
    firm = _LEGAL_SUFFIX.sub("", firm).strip(" ,.&")
    return firm or affiliation.strip()


def clean_company(name: str | None) -> str | None:
    """A company name without its legal suffix ("NVIDIA Corporation" -> "NVIDIA")."""
    if not name:
        return None
    company = _LEGAL_SUFFIX.sub("", name.strip()).strip(" ,.")
    if company.lower().startswith("the ") and len(company.split()) == 2:
        return company
    return company or None
