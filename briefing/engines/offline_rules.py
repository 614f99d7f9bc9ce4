"""The offline engine's rules: sentence-level extraction of figures, guidance and events.

Everything here is extractive: the rules pick sentences, cut them at clause boundaries and
label them; the only words they add are labels (a metric's name taken from the sentence,
"up"/"down", "YoY"/"sequentially", "vs"). Grounding checks every result afterwards anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.grounding import split_sentences

# --- numbers as written -------------------------------------------------------------------

_APPROX = (
    r"(?:(?:approximately|approx\.|about|around|roughly|nearly|almost|just over|just under"
    r"|over|more than|less than|up to|at least|a record(?: high of)?|a record)\s+)"
)
_CURRENCY = r"(?:RMB|USD|US\$|HK\$|HKD|EUR|GBP|JPY|CNY|INR|\$|€|£|¥)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = (
    r"(?:\s?%|\s?percent(?:age points?)?|\s?per cent|\s?pp\b|\s?basis points?|\s?bps\b"
    r"|x\b|\s?times\b|\s?cents?\b)"
)
_SCALE = (
    r"(?:\s?(?:thousand|million|billion|trillion|mn\b|bn\b)"
    r"(?:\s(?:yen|won|rupees?|euros?|dollars|pounds|yuan|renminbi)\b)?|\s(?:yen|won)\b)"
)
AMOUNT = re.compile(
    rf"(?P<approx>{_APPROX})?(?P<cur>{_CURRENCY},?\s?)?(?P<num>(?<![\w.,]){_NUM})"
    rf"(?P<unit>{_UNIT})?(?P<scale>{_SCALE})?(?![\w])",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"^\s*(?:to|and|-|–)\s*$", re.IGNORECASE)

# --- vocabulary ---------------------------------------------------------------------------

METRIC_TERMS: list[tuple[str, int]] = [
    (r"net revenues?|total revenues?|revenues?|net sales|sales(?! and marketing| & marketing)", 10),
    (
        r"net income|net profit|net loss|net earnings|profit before tax|pre-tax profit|pbt"
        r"|profit attributable to [\w ]{3,30}?(?=\s(?:was|were|of|came))|(?:net )?loss(?:es)? from "
        r"discontinued operations|profit",
        9,
    ),
    (
        r"total income|net interest income|net interest margin|fee income|commission income"
        r"|risk costs?|cost of risk|customer lending|net new money",
        8,
    ),
    (
        r"earnings per (?:diluted )?(?:share|ads)|eps|epads|per (?:diluted )?(?:ordinary )?share"
        r"|per (?:diluted )?ads|loss per share",
        9,
    ),
    (r"gross margins?|operating margins?|ebitda margin|net margin|margins?", 8),
    (r"operating income|operating profit|operating loss|adjusted ebitda|ebitda|ebit", 8),
    (
        r"operating expenses|opex|total expenses|sg&a|selling, general and administrative"
        r"(?: expenses)?",
        7,
    ),
    (r"expenses?|costs?|o&m", 5),
    (r"free cash flow(?! margin| conversion)", 8),
    (
        r"free cash flow|cash flows?(?: from operations)?|cash from operations?"
        r"|operating cash flows?"
        r"|cash (?:generated|provided) (?:from|by) operati\w+(?: activities)?",
        7,
    ),
    (r"cash(?: and cash equivalents?)?|liquidity", 6),
    (r"capital expenditures?|capex", 6),
    (
        r"take rates?|delinquency rates?|delinquency|collection rates?|tax rates?|etr"
        r"|roe|roa|return on (?:tangible )?equity|rote|rotce|roic|irr|apr"
        r"|(?:net |financial )?leverage ratio|coverage ratio|cet1(?: ratio)?"
        r"|ffo(?: to debt)?|funds from operations(?: to debt)?"
        r"|ratio",
        7,
    ),
    (r"users|customers|subscribers|members|borrowers|merchants|clients", 6),
    (
        r"loan volume|volume|balance|gmv|gtv|shipments|arpu|aum"
        r"|passengers|travell?ers|visitors|room nights|trips|transactions|downloads"
        r"|deposits|loans|occupancy|market share|headcount|provisions?|write-?backs?|write-?offs?"
        r"|inventor(?:y|ies)|systems|units|stores|installations|installs|placements"
        r"|(?:service |supply |purchase )?agreements|contracts"
        r"|charge-?offs?",
        5,
    ),
    (r"dividends?|repurchases?|buybacks?", 5),
    (r"impairments?(?: charges?)?|(?:restructuring |one-time )?charges?|write-?downs?", 5),
    (r"growth|(?:tariff |currency |fx |foreign exchange )?(?:headwinds?|tailwinds?)", 5),
    (r"orders|order intake|bookings|backlog|book-to-bill(?: ratio)?|same-store sales", 7),
    (
        r"net debt(?: to (?:adjusted )?ebitda)?|net leverage|organic (?:revenue )?growth"
        r"|(?:total |gross |long-term )?debt",
        7,
    ),
    (
        r"net new arr|arr|annual recurring revenue|c?rpo|remaining performance obligations?"
        r"|billings|(?:dollar-based )?net"
        r" (?:revenue |dollar )?retention(?: rate)?",
        8,
    ),
]
_TERMS = "|".join(p for p, _ in METRIC_TERMS)
METRIC = re.compile(rf"\b(?:{_TERMS})\b", re.IGNORECASE)
_MODIFIER = re.compile(
    r"^(?:non-gaap|non gap|gaap|adjusted|diluted|basic|total|net|gross|overall|organic"
    r"|[a-z0-9]+-day|day[- ]\d+|\d+-day|new|average|effective|operating|quarterly)$",
    re.IGNORECASE,
)
_STOPWORD = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "its",
        "their",
        "his",
        "her",
        "we",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "in",
        "of",
        "for",
        "on",
        "at",
        "to",
        "by",
        "with",
        "and",
        "or",
        "as",
        "from",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "also",
        "total",
        "which",
        "who",
    ]
)

_VERB = re.compile(
    r"\b(?:was|were|is|are|came in at|coming in at|stood at|reached|totaled|totalled"
    r"|amounted to|grew|growing|rose|rising|increased|increasing|decreased|decreasing"
    r"|declined|declining|fell|dropped|improved|remained|of|at|up|down|to|reported"
    r"|expanded|contracted|widened|narrowed|climbed|jumped|surged|slipped"
    r"|represent(?:ed|ing)?|contributed|accounted for)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:(?:in|during|for|as of|at the end of|by the end of|starting in|with|and|but|so|while"
    r"|also|meanwhile|overall|furthermore|additionally|in addition|moreover|then|now|uh|um"
    r"|excluding [^,]*)\b[^,]*?,\s*|(?:with|and|but|so|while|also|meanwhile|then|now|uh|um)\s+)",
    re.IGNORECASE,
)
_PERIOD_WORDS = re.compile(
    r"^(?:(?:in|during|for)\s+)?(?:(?:q[1-4]|[1-4]q|h[12]|fy\s?\d{2,4}|fiscal(?: year)?"
    r"|(?:first|second|third|fourth)[- ]quarter|(?:the )?quarter(?:'s)?|(?:19|20)\d\d"
    r"|full[- ]year|year|quarterly|this)(?:\s+|$))+",
    re.IGNORECASE,
)
_DETERMINER = re.compile(
    r"^(?:our|the|its|their|a|an|this|these|total of|(?:a )?record)\s+", re.IGNORECASE
)
_GENERIC = frozenset(
    {"", "revenue", "revenues", "sales", "net revenue", "it", "this", "that", "they", "we"}
)

_YOY_BASIS = (
    r"(?:year[- ]over[- ]year|year[- ]on[- ]year|yoy|y-o-y|from a year ago"
    r"|from a year earlier|from the same period (?:of |in )?last year|than a year ago"
    r"|than (?:in )?the same (?:quarter|period) (?:of |in )?(?:last|the previous|the prior) year"
    r"|compared (?:to|with) (?:the same period (?:of |in )?)?last year|a year ago"
    r"|(?:compared (?:to|with)|versus|vs\.?|over|from) (?:the )?(?:prior|previous)[- ]year"
    r"(?: quarter| period)?|(?:compared (?:to|with)|versus|vs\.?|over|from) the year[- ]ago"
    r"(?: quarter| period)?|(?:over|from|than|versus|vs\.?) (?:the )?last year)"
)
YOY = re.compile(rf"^\W*(?:\w+\W+){{0,2}}?{_YOY_BASIS}", re.IGNORECASE)
YOY_FAR = re.compile(rf"^(?:[^\w\d]*[A-Za-z]+){{0,4}}?\W*{_YOY_BASIS}", re.IGNORECASE)
VS_QUARTER = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:compared (?:to|with)|versus|vs\.?|from) (?:the )?(first|second|third"
    r"|fourth) quarter (?:of |in )?(?:fiscal (?:year )?)?((?:19|20)\d\d)",
    re.IGNORECASE,
)
QOQ = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:sequentially|quarter[- ]over[- ]quarter|quarter[- ]on[- ]quarter"
    r"|quarter of a quarter|quarter over a quarter|q-on-q|qoq|from (?:the )?(?:previous|prior|last)"
    r" quarter|(?:when )?compared (?:to|with) (?:the )?(?:previous|prior|last) quarter"
    r"|(?:from|versus|vs\.?|compared (?:to|with)) the (?:first|second|third|fourth)"
    r" quarter(?! of))",
    re.IGNORECASE,
)
VS_YEAR = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:(?:compared (?:to|with)|versus|vs\.?|from) the same period"
    r"(?: pre[- ]covid)?(?: (?:in|of))? ((?:19|20)\d\d)|of the ((?:19|20)\d\d) level)",
    re.IGNORECASE,
)
UP = re.compile(
    r"\b(?:up|increas\w*|grew|grow\w*|growth|rose|rising|higher|improv\w*|gain\w*|expand\w*)\s*"
    r"(?:by\s+)?(?:of\s+)?(?:an?\s+)?$",
    re.IGNORECASE,
)
DOWN = re.compile(
    r"\b(?:down|decreas\w*|declin\w*|fell|falling|lower|drop\w*|reduc\w*|contract\w*)\s*"
    r"(?:by\s+)?(?:of\s+)?(?:an?\s+)?$",
    re.IGNORECASE,
)
UP_DOWN_RIGHT_BEFORE = re.compile(
    r"\b(?:up|down|increased|decreased|grew|rose|fell|declined|dropped|expanded|contracted"
    r"|improved|an increase of|a decrease of|growth of|a decline of|growing|rising|increasing"
    r"|decreasing|declining|falling)(?: by)?\s+$",
    re.IGNORECASE,
)
UP_AFTER = re.compile(r"^\s*(?:increase|growth|rise|improvement|higher)\b", re.IGNORECASE)
DOWN_AFTER = re.compile(r"^\s*(?:decrease|decline|drop|reduction|lower)\b", re.IGNORECASE)
VERSUS = re.compile(
    r"(?:versus|vs\.?|compared (?:to|with)|from|up from|down from)\s+$",
    re.IGNORECASE,
)
VS_PERIOD = re.compile(
    r"^\s*(?:(?:in|for) the same (?:quarter|period|three months) (?:in|of) (?:19|20)\d\d"
    r"|(?:in|for) the (?:first|second|third|fourth) quarter of (?:19|20)\d\d"
    r"|in (?:Q[1-4](?: \d{4})?|the (?:prior|previous|same) (?:quarter|period)(?: last year)?"
    r"|the prior[- ]year(?: period| quarter)?|(?:the )?previous quarter|last quarter|last year"
    r"|the (?:first|second|third|fourth) quarter of (?:last year|(?:19|20)\d\d)"
    r"|\d{4})|a year ago|(?:in )?the year-ago"
    r" (?:quarter|period)|last quarter|last year)",
    re.IGNORECASE,
)

FORWARD = re.compile(
    r"\b(?:we expect|we are expecting|we're expecting|expects?|expected to|we anticipate"
    r"|anticipated? to|is anticipated|outlook|guidance|guid(?:e|ing) (?:to|for)|we forecast"
    r"|we project|we plan to"
    r"|we intend to|we aim to"
    r"|we target|targeting|going forward|looking ahead|looking forward|in the long run"
    r"|in the long term|over the long term|next year|next quarter|coming quarters"
    r"|(?:will|should|may|could) (?:remain|grow|increase|decrease|decline|improve|rise|fall"
    r"|accelerate|stabilize|recover|continue to (?:grow|improve|decline|increase|decrease))"
    r"|the expectation that|we (?:may|might|could|would) see|we will likely"
    r"|will be (?:roughly|approximately|largely)|we hope to"
    r"|we believe (?:that )?(?:the |our )?\w+(?: \w+)? (?:will|should)"
    r"|should (?:be|remain|continue)|is tracking|on track to"
    r"|(?:is|are|would be) an? (?:good|reasonable|fair|prudent)"
    r" (?:assumption|number|level|estimate)"
    r"|(?:you|we) (?:should|can|could) assume"
    r"|for modell?ing purposes|we are planning for|our ambition"
    r"|(?:our|the) expected (?:[\w-]+ ){0,3}(?:range|level)"
    r"|(?:our|the) (?:[\w&-]+ ){0,4}?forecast (?:of|to|for)"
    # "We're maintaining our range for long-term EPS growth of 6% to 8%", "We'd expect"
    r"|(?:maintain|reaffirm|reiterat)\w* our (?:[\w-]+ ){0,3}?(?:range|expectations?|targets?)"
    r"|we(?:'d| would) expect)\b",
    re.IGNORECASE,
)
_GUIDE = re.compile(
    r"\b(?:outlook|guidance|guide|we expect|expected to|we anticipate|forecast\w*|long run"
    r"|long(?:er)?[- ]term|targets?|ambition|aspiration)\b",
    re.I,
)
_PAST_OUTLOOK = re.compile(
    r"\b(?:than|ahead of|above|below|in line with|exceeded|beat|versus|vs\.?) (?:our |the )?"
    r"(?:prior |previous )?(?:outlook|guidance|expectations)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:expect\w*|anticipat\w*|outlook|guidance|will|should|forecast\w*|going forward"
    r"|looking ahead)\b",
    re.IGNORECASE,
)
NOT_GUIDANCE = re.compile(
    r"came in at|(?:ahead of|above|exceeded|beat) the (?:high|top|upper) end|"
    r"forward-looking statements|forward looking statements|safe harbor|risks and uncertainties"
    r"|actual results|than (?:our )?(?:expectations|outlook)|ahead of (?:our )?(?:expectations"
    r"|outlook)|in line with (?:our )?expectations|than expected|reconciliation|webcast|replay"
    r"|question-and-answer|q&a session|press release|\?"
    # "To sum up: a narrowed 2026 range, ...": a recap of what was said, not a new outlook
    r"|\bto sum (?:it )?up\b|\bto summarize\b|\bto recap\b|\bin summary\b",
    re.IGNORECASE,
)
QUALITATIVE = re.compile(
    r"\b(?:stable|slight\w*|gradual\w*|continu\w+ improv\w*|improv\w*|increase|decrease|grow"
    r"|decline|moderat\w*|similar levels?|flat|accelerat\w*|recover\w*|rebound|strong"
    r"|fluctuat\w*|remain\w*|rise|fall|growth|relax\w*|reopen\w*|eas(?:e|ing)|take off"
    r"|(?:up|down) (?:in the )?(?:low|mid|high)[- ]single[- ]digits?"
    r"|(?:low|mid|high)[- ]single[- ]digits?|(?:low|mid|high)[- ]teens|double[- ]digits?"
    r"|(?:upper|lower|top|bottom) (?:half|end))\b",
    re.IGNORECASE,
)

NOTABLE_CUES: list[tuple[str, re.Pattern[str], int]] = [
    (
        "management_change",
        re.compile(
            r"\b(?:resign\w*|step(?:ped|s|ping)? down|appoint\w*|retir(?:e|es|ed|ing|ement)"
            r"|succeed\w*|successor|named (?:as )?(?:our )?(?:new )?(?:chief|ceo|cfo|president)"
            r"|join(?:ed|s|ing)? (?:us |the company )?as (?:our )?(?:new )?(?:chief|ceo|cfo)"
            r"|new (?:ceo|cfo|chief executive|chief financial)"
            # "became our Chief Operating Officer", "welcomed Jane Roe as President of X"
            r"|became (?:our )?(?:new )?(?:chief|president|ceo|cfo|coo|head|general counsel)"
            r"|(?:welcomed|hired|named|promoted|appointed) (?:[\w.'-]+ ){1,3}?(?:as|to) (?:our )?"
            r"(?:new )?(?:chief|president|ceo|cfo|coo|head|general counsel)"
            r"|(?:has )?left the company|will (?:be )?leav(?:e|ing) (?:the company|us|at)"
            r"|(?:is )?leaving the company|(?:his|her) departure)\b",
            re.IGNORECASE,
        ),
        10,
    ),
    (
        "accounting",
        re.compile(
            r"\b(?:pro forma (?:[\w-]+ ){0,3}?(?:basis|results|figures|financials|numbers)"
            r"|restat\w*"
            r"|change in (?:our )?(?:accounting|reporting)"
            r"|new accounting|reporting segments?)\b",
            re.IGNORECASE,
        ),
        6,
    ),
    (
        "discontinued",
        re.compile(
            r"\b(?:discontinu\w*(?! operations)|wind(?:ing)? down|shut(?:ting)? down"
            r"|exit(?:ing|ed)? (?:the|our|this|that))\b",
            re.IGNORECASE,
        ),
        10,
    ),
    (
        "acquisition",
        re.compile(
            r"\b(?:(?:acqui(?:re|red|res|ring|sition|sitions))(?!-related| related"
            r"| (?:and integration|cost|channel|pace|spend|expense"
            r"|efficien|new (?:customer|user)|of new (?:customer|user)|customers|users))"
            r"(?<!customer acquisition)(?<!user acquisition)(?<!effective acquisition)"
            r"|merger|purchased (?:in|a|the)|that we purchased|closed the (?:deal|transaction))\b",
            re.IGNORECASE,
        ),
        8,
    ),
    (
        "disposal",
        re.compile(
            r"\b(?:divest\w*|dispos(?:e|ed|al)|spin[- ]?off|sold (?:our|the)"
            r"|sale of (?:our|the)|(?:agreement|agreed|plans?|decided|decision) to sell"
            r"|to sell (?:our|the|its))\b",
            re.IGNORECASE,
        ),
        8,
    ),
    (
        "capital_return",
        re.compile(
            r"\b(?:dividends?|repurchas\w*|buy ?backs?|share buyback|return(?:ed)? to (?:our )?"
            r"shareholders|remaining (?:under|on) (?:the |our )?(?:current |existing )?"
            r"(?:share )?authorization)\b",
            re.IGNORECASE,
        ),
        6,
    ),
    (
        "restructuring",
        re.compile(r"\b(?:restructur\w*|layoffs?|reorganiz\w*|workforce reduction)\b", re.I),
        8,
    ),
    (
        "litigation",
        re.compile(r"\b(?:lawsuit|litigation|class action|settlement with|court)\b", re.I),
        7,
    ),
    (
        "regulation",
        re.compile(
            r"\b(?:new regulat\w*|regulatory (?:change|approval|review|environment|action)"
            r"|regulators?|antitrust|export (?:control|restriction)s?"
            r"|rate (?:case|review|order)s?|(?:fda|regulatory) (?:[\w()]+ )?(?:approval|clearance)"
            r"|received (?:fda )?(?:clearance|approval))(?!\w)",
            re.IGNORECASE,
        ),
        6,
    ),
    (
        "one_off",
        re.compile(
            r"\b(?:impairment|one[- ]time|one-off|write[- ]?downs?|write-offs? of (?:goodwill"
            r"|assets|inventory|intangible)|withholding tax"
            r"|non-recurring|tax provision|redeem\w*|redemption|convertible"
            r"|field actions?|recall(?:s|ed)?|(?:pre[- ]?tax |after[- ]?tax )?charge of"
            r"|tariff (?:headwind|costs?|impact))\b",
            re.IGNORECASE,
        ),
        7,
    ),
    (
        "other",
        re.compile(
            r"\b(?:partnership with|partnered with|strategic partnership|launch(?:ed|ing)?"
            r"|unveil\w*|introduc(?:ed|ing)|special event|announced|variant|natural disasters?"
            r"|outbreaks?|(?:core|course|our) strategy|strategy of)\b",
            re.IGNORECASE,
        ),
        4,
    ),
]

HEADLINE = re.compile(
    r"\b(?:biggest|largest|landmark|milestone|historic|first[- ]ever|record|breakthrough"
    r"|special event)\b",
    re.IGNORECASE,
)
_EXCLUDED = re.compile(
    r"\b(?:excluding|excludes|exclude|before|net of|other than|includ\w*|impact (?:of|from)"
    r"|contribution (?:of|from)|driven by|due to|because of|offset by|related to"
    r"|associated with)\b[^,.]*$",
    re.I,
)
_KIND_LABEL = {
    "management_change": "Management change",
    "discontinued": "Discontinued",
    "acquisition": "Acquisition",
    "disposal": "Disposal",
    "restructuring": "Restructuring",
    "litigation": "Litigation",
    "regulation": "Regulation",
    "one_off": "One-off",
    "accounting": "Reporting change",
}
CAPITAL_RETURN = next(p for k, p, _ in NOTABLE_CUES if k == "capital_return")
NON_ANSWER = re.compile(
    r"\b(?:we (?:do not|don't) (?:guide|give guidance|provide guidance|comment|disclose|break"
    r" out|provide)|not (?:going to|in a position to) (?:comment|guide|disclose|speculate)"
    r"|too early to (?:tell|say|comment)|can(?:no|')t (?:comment|give|share|disclose)"
    r"|(?:won't|will not) (?:comment|speculate|guide)|no (?:comment|update) (?:on|at))",
    re.IGNORECASE,
)
FILLER = re.compile(
    r"^(?:\(spoken in foreign language\)|\(interpreted\)\s*)?\W*(?:thank(?:s| you)\b|okay\b"
    r"|ok\b|yes\b|yeah\b|sure\b|hi\b|hello\b|good (?:morning|afternoon|evening)|congrat"
    r"|great\b|got it|i will do the translation|i'll do the translation|let me do the translation"
    r"|i will take this|i'll take this|let me take|i'll translate|i will translate|\(operator"
    r"|operator\b|next question|(?:[A-Z][a-z]+, )?i'll (?:kick off|start|begin|take|let|hand)"
    r"|(?:[A-Z][a-z]+, )?let me (?:start|begin|kick|hand|add|take)|good question|great question"
    r"|that's a (?:good|great) question|i appreciate the question)",
    re.IGNORECASE,
)
_FILLER_WORDS = re.compile(r"\b(?:uh|um|er|you know),?\s+", re.IGNORECASE)
# "510(k)" keeps its letter: a parenthesis right after a word or number is part of it
_PAREN = re.compile(r"\s*(?<![\w])\((?:interpreted|spoken in foreign language|[^()\d]{0,60})\)")
_LEADING_DISCOURSE = re.compile(
    r"^(?:(?:so|and|but|also|now|well|okay|ok|yes|then|finally|meanwhile|in addition"
    r"|additionally|furthermore|moreover|as such|in summary|in a word|at the same time"
    r"|with that|that said|regarding [^,]{0,40}|in terms of [^,]{0,40}|on the [^,]{0,30} side"
    r"|on that note|(?:i'm|i am|we're|we are) (?:pleased|happy|proud|excited) to (?:say"
    r"|report|announce|share)(?: that)?"
    r"|as i mentioned|as mentioned|in accordance with [^,]{0,50}|according to [^,]{0,50}"
    r"|consistent with [^,]{0,50}|as (?:we )?previously (?:announced|disclosed)|as a result"
    r"|(?:during|in) the (?:first|second|third|fourth|last|past) (?:quarter|half|year))\b,?\s+"
    r"|(?:first|second|third|fourth)(?:ly)?,\s+)+",
    re.IGNORECASE,
)
_TAIL_CUT = re.compile(
    r"(?:,? (?:mainly|primarily|largely|partially|partly) (?:due to|because|driven by|reflecting"
    r"|to reflect|offset|as a result)|, which |,? as we |, driven by|,? thanks to|, reflecting"
    r"|, given |, based on "
    r"|, while |; )",
    re.IGNORECASE,
)


def clean(text: str) -> str:
    """Drop speech fillers ("uh", "um") and stage directions; keep every other word."""
    text = _PAREN.sub("", text)
    text = _FILLER_WORDS.sub("", text)
    return " ".join(text.split())


def words(text: str) -> int:
    return len(text.split())


_SCALE_WORD = re.compile(
    r"(?:thousand|million|billion|trillion|percent|basis|points?|bps|x|times)$", re.IGNORECASE
)


_APPOSITIVE = re.compile(r",\s(?:a|an|which|who|whose)\s(?![^,]*\d)[^,]{10,160},(?=\s)", re.I)


def _is_figure_token(token: str) -> bool:
    """A token that carries a figure worth keeping: not a bare day, ordinal or year."""
    bare = token.strip(".,;:()")
    if not re.fullmatch(
        r"(?:[A-Z]{2,3}|US\$|HK\$|[$€£¥])?\d[\d,.]*(?:%|x|bn|mn|m|k|pp|bps)?", bare
    ):
        return False  # "10b5-1", "COVID-19", "A100": names, not figures
    return not re.fullmatch(r"(?:\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d\d)", bare)


def trim(
    sentence: str, max_words: int, *, keep: list[str] | None = None, from_start: bool = False
) -> str:
    """Cut a sentence to at most ``max_words``: leading discourse words, then a trailing
    explanation after the last figure, then a window that keeps every figure and ``keep``."""
    s = clean(sentence)
    s = _LEADING_DISCOURSE.sub("", s)
    s = s[:1].upper() + s[1:] if s else s
    last_num_end = max((m.end() for m in AMOUNT.finditer(s)), default=0)
    keep_end = last_num_end
    for k in keep or []:
        i = s.lower().find(k.lower())
        if i >= 0:
            keep_end = max(keep_end, i + len(k))
    for m in _TAIL_CUT.finditer(s):
        if m.start() >= keep_end and words(s[: m.start()]) >= (4 if last_num_end else 6):
            s = s[: m.start()]
            break
    s = s.rstrip(" ,;:")
    if words(s) > max_words:
        # Appositives ("Tessler Flow Systems, a privately held maker of pumps, for ...") go
        # first: they describe, the sentence's point is around them.
        s = _APPOSITIVE.sub("", s)
    tokens = s.split()
    # Two words over the limit are kept rather than cut to "by the end of …".
    if len(tokens) <= max_words + (2 if max_words >= 12 else 0):
        return s.rstrip(".") if s.endswith(".") and not s.endswith("..") else s
    important = (
        []
        if from_start
        else [
            i
            for i, t in enumerate(tokens)
            if _is_figure_token(t)
            or (
                # the low end of a range: "down 50 to 60%"
                re.fullmatch(r"\d{1,3}", t)
                and i + 2 < len(tokens)
                and tokens[i + 1] in {"to", "-", "and"}
                and "%" in tokens[i + 2]
            )
        ]
    )
    important += [
        i + 1
        for i in important
        if i + 1 < len(tokens) and _SCALE_WORD.match(tokens[i + 1].strip(",.;:"))
    ]
    # "EUR0.35 per share": the unit a figure is counted in stays with it.
    important += [
        j
        for i in list(important)
        if i + 2 < len(tokens) and tokens[i + 1] == "per"
        for j in (i + 1, i + 2)
    ]
    keys = [k.lower() for k in keep or []]
    figure_marks = set(important)
    important += [i for i, t in enumerate(tokens) if any(k.split()[0] in t.lower() for k in keys)]
    end = max(max(important, default=0) + 1, max_words)
    start = max(0, end - max_words)
    if important and min(important) < start:
        # The figures and cues span more than the window: keep the stretch holding most.
        # Figures count double: the cue word can go to a label, a figure cannot.
        weight = {i: (2 if i in figure_marks else 1) for i in important}
        best = max(
            range(0, len(tokens) - max_words + 1),
            key=lambda a: (sum(w for i, w in weight.items() if a <= i < a + max_words), -a),
        )
        start, end = best, best + max_words
    start, end = _snap(tokens, start, end, important, max_words)
    out = " ".join(tokens[start:end]).rstrip(" ,;:")
    if end >= len(tokens):
        out = out.rstrip(".")
    if (start and _CLAUSE_OPENER.fullmatch(tokens[start])) or (
        start and tokens[start - 1][-1] in ",;:"
    ):
        # The window opens a clause ("..., we had $60 million remaining"): it reads whole.
        return _capitalize(out) + (" …" if end < len(tokens) else "")
    return ("… " if start else "") + out + (" …" if end < len(tokens) else "")


_CLAUSE_OPENER = re.compile(r"(?:we|it|they|i|he|she)", re.IGNORECASE)


def _snap(
    tokens: list[str], start: int, end: int, important: list[int], max_words: int
) -> tuple[int, int]:
    """Move a window that starts mid-clause to the nearest clause start (after a comma, else
    at "we"/"it"/...) up to three words back or up to the first figure, when every important
    word stays inside."""
    if start == 0:
        return start, end
    first = min(important, default=end)
    last = max(important, default=start)
    near = sorted(range(max(0, start - 3), min(first, start + 8) + 1), key=lambda x: abs(x - start))
    for s, comma in [(x, True) for x in near] + [(x, False) for x in near]:
        if s >= len(tokens):
            continue
        if s and not (tokens[s - 1][-1] in ",;:" if comma else _CLAUSE_OPENER.fullmatch(tokens[s])):
            continue
        e = min(len(tokens), max(s + max_words, last + 1))
        if e - s > max_words + 2:
            continue  # two words over is worth a clause that reads whole, no more
        return s, e
    return start, end


# --- figures ------------------------------------------------------------------------------


@dataclass
class Figure:
    """One reported figure found in a sentence."""

    metric: str
    value: str
    comparisons: list[str] = field(default_factory=list)
    gaap: str | None = None
    weight: int = 0
    sentence: str = ""


def metric_weight(metric: str) -> int:
    # "Marketing spend share of sales" is a ratio, not sales: the part before the base counts
    share = _SHARE_BASE.search(metric)
    head = metric[: share.start()] if share else metric
    best = 0
    for pattern, weight in METRIC_TERMS:
        if re.search(rf"\b(?:{pattern})\b", head, re.IGNORECASE):
            best = max(best, weight)
    return best or (5 if share else 0)


_SHARE_BASE = re.compile(
    r"\s+(?:share of|\(% of|as a (?:percentage|percent|share) of)\s", re.IGNORECASE
)


def gaap_label(text: str) -> str | None:
    low = text.lower()
    if re.search(r"non-gaap|non gaap|non gap|adjusted|pro forma", low):
        return "non-gaap"
    if re.search(r"\bgaap\b", low):
        return "gaap"
    return None


_BASIS_LEAD = re.compile(
    r"^(?:(?:year|quarter)[- ](?:over|on)[- ](?:a )?(?:year|quarter)|sequentially|respectively"
    r"|yoy|qoq|(?:versus|vs\.?|compared (?:to|with)) [^,]*?\b(?:and|,))\b\W*",
    re.IGNORECASE,
)


def _subject(before: str) -> str:
    """The metric named before a figure: the clause's subject, cleaned of periods and fillers."""
    text = re.sub(
        r"\b(attributable) (to)\b|\b(number|share|percentage|proportion) (of)\b",
        lambda m: "_".join(g for g in m.groups() if g),
        clean(before),
        flags=re.I,
    )
    # "Year to date free cash flow", "so on an organic basis revenue grew 8.6%"
    text = re.sub(r"\byear[- ]to[- ]date\b", "year_to_date", text, flags=re.I)
    text = re.sub(
        r"^(?:so |and )?on an? ((?:organic|constant[- ]currency|fx[- ]neutral|reported"
        r"|comparable|like-for-like|underlying) )basis,? (?=\w)",
        r"\1",
        text,
        flags=re.I,
    )
    verb = None
    for m in _VERB.finditer(text):
        verb = m
        break
    subject = re.sub(
        r"\b(attributable|number|share|percentage|proportion)_(to|of)\b",
        r"\1 \2",
        text[: verb.start()] if verb else text,
        flags=re.I,
    ).replace("year_to_date", "year-to-date")
    for _ in range(3):
        subject = _BASIS_LEAD.sub("", subject.strip())
        subject = _LEAD.sub("", subject.strip())
        subject = _PERIOD_WORDS.sub("", subject)
        subject = _DETERMINER.sub("", subject)
    subject = re.sub(
        r"\s+(?:in|for|during) (?:q[1-4]|the (?:\w+ )?quarter)\b.*$", "", subject, flags=re.I
    )
    subject = re.sub(r"\s+ended the (?:quarter|year|period)$", "", subject, flags=re.I)
    subject = re.sub(r"\s+(?:for|of) the (?:company|group|business|firm)$", "", subject, flags=re.I)
    subject = re.sub(
        r"^(?:or|and|but|resulting in|leading to|bringing)(?:\s+|$)", "", subject, flags=re.I
    )
    subject = re.sub(
        # "That supports rate base growth of about 9.5%": the growth, not the pointer
        r"^(?:that|this|which|it) (?:supports|implies|means|represents|reflects|drives|gives us)"
        r"\s+",
        "",
        subject,
        flags=re.I,
    )
    subject = subject.strip(" ,;:-")
    return subject


_NOT_MODIFIER = re.compile(
    r"expects?|impl(?:y|ies|ied)|means|strongest|weakest|largest|biggest|highest|lowest|best"
    r"|worst|generate|see|achieve|deliver|maintain|drive|grow|reach|record|report|continue"
    r"|improve|increase|decrease|reduce|make|get|keep|add|lower|raise|strong|very|good|more"
    r"|less|much|some|any|all|both|higher|other|such|further|than|what|how|why|when|where",
    re.IGNORECASE,
)


_NOUN_ING = re.compile(
    r"(?:funding|marketing|financing|advertising|servicing|processing|operating|banking"
    r"|lending|trading|housing|manufacturing|licensing|gaming|streaming|shipping|billing)",
    re.IGNORECASE,
)


def _modifier_ok(tok: str) -> bool:
    bare = tok.strip(",;:()")
    if bare != tok or not bare or bare.lower() in _STOPWORD:
        return False
    if _MODIFIER.match(bare) or "-" in bare or "/" in bare or bare[:1].isupper():
        return True
    if (
        _VERB.fullmatch(bare)
        or _NOT_MODIFIER.fullmatch(bare)
        or re.search(r"(?:ed|ing|ly)$", bare.lower())
    ):
        return False
    return bare.isalpha()


_GROUPS = [re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for p, _ in METRIC_TERMS]


def _terms_in(text: str) -> list[re.Match[str]]:
    """Every financial term of ``text``, the longest where two overlap ("net revenue
    retention", not "net revenue")."""
    found = sorted(
        (
            m
            for g in _GROUPS
            for m in g.finditer(text)
            # "non-cash", "cash-based": part of another word, not the metric
            if text[m.start() - 1 : m.start()] != "-" and text[m.end() : m.end() + 1] != "-"
        ),
        key=lambda m: (m.start(), -(m.end() - m.start())),
    )
    out: list[re.Match[str]] = []
    for m in found:
        if out and m.start() < out[-1].end():
            if m.end() - m.start() > out[-1].end() - out[-1].start():
                out[-1] = m
            continue
        out.append(m)
    return out


def _lexicon_metric(text: str, anchor: int) -> str | None:
    """The financial term nearest before ``anchor`` with up to three modifiers, else the term
    that closely follows it ("1.3 million new credit line users")."""
    matches = _terms_in(text)
    before = [m for m in matches if m.end() <= anchor]
    if before:
        m = before[-1]
        head = text[m.start() : m.end()]
        mods: list[str] = []
        toks = text[: m.start()].split()
        for i, tok in enumerate(reversed(toks[-3:])):
            nearest = not mods
            # "operations and maintenance expense": a pair of modifiers joined by "and"
            paired = (
                tok.lower() in {"and", "&"}
                and mods
                and len(toks) > i + 1
                and _modifier_ok(toks[-(i + 2)])
            )
            if not (_modifier_ok(tok) or paired or (nearest and _NOUN_ING.fullmatch(tok))):
                break
            mods.insert(0, tok)
        if mods and mods[0].lower() in {"and", "&"}:
            mods.pop(0)
        return " ".join([*mods, head])
    after = [
        m for m in matches if m.start() >= anchor and not m.group(0).lower().startswith("per ")
    ]
    if not after:
        return None
    m = after[0]
    gap = text[anchor : m.start()]
    number_end = AMOUNT.match(text, anchor)
    between = text[number_end.end() if number_end else anchor : m.start()].split()
    if len(gap) > 60 or len(between) > 4 or not all(_modifier_ok(t) for t in between):
        return None
    return " ".join([*between, text[m.start() : m.end()]])


def metric_named_in(sentence: str) -> str | None:
    """The last financial term a sentence names, capitalized (for a follow-on sentence)."""
    text = clean(sentence)
    found = _lexicon_metric(text, len(text))
    return _capitalize(found) if found else None


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_SEQUENTIAL_LEAD = re.compile(
    r"^\W*(?:sequentially|on a sequential basis|quarter[- ]over[- ]quarter)\b", re.IGNORECASE
)


def _comparison(sentence: str, m: re.Match[str]) -> str | None:
    """The comparison a percentage states: direction, figure and basis, or None."""
    after = sentence[m.end() : m.end() + 90]
    before = sentence[max(0, m.start() - 40) : m.start()]
    figure = m.group(0).strip()
    basis = None
    vs_quarter = VS_QUARTER.match(after)
    if YOY.match(after) or YOY_FAR.match(after):
        basis = "YoY"
    elif QOQ.match(after):
        basis = "sequentially"
    elif vs_quarter:
        basis = f"vs Q{_ORD[vs_quarter.group(1).lower()]} {vs_quarter.group(2)}"
    elif _SEQUENTIAL_LEAD.match(sentence):
        basis = "sequentially"  # "Sequentially, sales were up 31% ..."
    else:
        vs_year = VS_YEAR.match(after)
        if vs_year:
            year = vs_year.group(1) or vs_year.group(2)
            basis = f"of {year} level" if vs_year.group(2) else f"vs {year}"
    direction = ""
    if UP.search(before) or UP_AFTER.match(after):
        direction = "up "
    elif DOWN.search(before) or DOWN_AFTER.match(after):
        direction = "down "
    if basis is None:
        # "up 170 basis points": a change with no stated basis is still a change.
        if direction and UP_DOWN_RIGHT_BEFORE.search(before):
            return f"{direction}{figure}"
        grew = _GREW_TO.search(before)
        to_level = re.match(r"\s+to\s+[$€£¥A-Z]{0,3}\d", after)
        if grew and (to_level or METRIC.search(grew.group(0))):
            # "grew revenue 36% to $144 million": the 36% is the growth to that level
            return f"{'down' if _DOWN_WORD.search(grew.group(0)) else 'up'} {figure}"
        return None
    if VERSUS.search(before):
        # "compared with 36% a year ago" is a level then, not a growth rate.
        if basis in {"YoY", "sequentially"}:
            return f"vs {figure} {'a year ago' if basis == 'YoY' else 'last quarter'}"
        if basis.startswith("vs "):
            return f"vs {figure} in {basis[3:]}"
    if basis.startswith("of "):
        direction = ""
    return f"{direction}{figure} {basis}"


def _same_kind(a: re.Match[str], b: re.Match[str]) -> bool:
    """Two ends of one range: "30 to 40%" shares the unit; "21% to $612 million" is not a range."""
    bare_a = not (a.group("unit") or a.group("cur") or a.group("scale"))
    return bare_a or _is_percentish(a) == _is_percentish(b)


def _is_percentish(m: re.Match[str]) -> bool:
    unit = (m.group("unit") or "").strip().lower()
    return bool(unit) and not unit.startswith("cent") and unit not in {"x", "times"}


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Clause boundaries (start, end) at ", " / "; " / " and " before a subject."""
    bounds = [0]
    for m in re.finditer(r"(?<!RMB|USD|EUR)(?:,\s+|;\s+|\s+while\s+|\s+whereas\s+)", sentence):
        bounds.append(m.end())
    bounds.append(len(sentence) + 1)
    return [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]


_BAD_SUBJECT = re.compile(
    r"\b(?:we|i|you|they|has|have|had|announced|approved|added|generated|purchased|achieved"
    r"|delivered|which|who|defined)\b",
    re.IGNORECASE,
)
_SHARE_OF = re.compile(rf"^\s*of\s+((?:[\w-]+\s+){{0,3}}?)((?:{_TERMS}))\b", re.I)
_TRAILING = re.compile(
    r"(?:\s+(?:further|also|continued|continues|remains|remained|again|both|all|each))+$",
    re.IGNORECASE,
)


_DEFINITION = re.compile(
    r",\s+(?:which|that) (?:is|are|was) (?:the|defined|calculated|a|an)\b[^,]{5,160},", re.I
)


_BRIDGE_STEP = re.compile(
    r"\b(?:added|contributed|hurt|reduced|cost|lowered|raised|(?:was |were )?(?:favorable"
    r"|unfavorable|positive|negative|a (?:headwind|tailwind|benefit|drag)) (?:by|of))\s+$",
    re.IGNORECASE,
)


def _is_cents(m: re.Match[str], s: str) -> bool:
    """A dollar amount under one dollar said without "per share" ("$0.05")."""
    return bool(
        m.group("cur")
        and not m.group("scale")
        and float(m.group("num").replace(",", "")) < 1
        and not _PER_UNIT.match(s[m.end() :])
    )


_OF_TERM = re.compile(
    rf"\s+of ((?:[\w-]+ ){{0,2}}?(?:{_TERMS})(?: and (?:cash )?equivalents)?)\b(?! of)", re.I
)
_COUNT_TERM = re.compile(
    r"\b(?:systems|units|stores|installations|installs|placements|agreements|contracts)$", re.I
)
_CORRECTION = re.compile(
    r"\b(?:(?:I'm |I am )?sorry,?\s+)?(?:let me correct (?:that|myself)|correction|I misspoke"
    r"|I meant to say|make that)\b[,;:]?\s*",
    re.IGNORECASE,
)
_FORWARD_TAIL = re.compile(
    r",\s+(?:and|while|but)\s+we (?:also |now |still )?(?:continue to )?(?:expect|anticipate"
    r"|target|plan|project|forecast|guide)\b",
    re.IGNORECASE,
)


def extract_figures(sentence: str, topic: str | None = None) -> list[Figure]:
    """Reported figures of one sentence: metric, value as written, stated comparisons."""
    s = clean(sentence)
    corrected = list(_CORRECTION.finditer(s))
    if corrected:
        # "sales were $38 million, I'm sorry, let me correct that, ...": what was said before
        # the speaker corrected it does not stand
        s = s[corrected[-1].end() :]
    tail = _FORWARD_TAIL.search(s)
    if tail and re.search(
        r"\b(?:was|were|grew|rose|increased|decreased|fell|declined)\b", s[: tail.start()]
    ):
        # "FFO to debt was 14.8%, and we continue to target 14% to 15%": the reported part
        s = s[: tail.start()]
    # "Current RPO, which is the portion we expect to recognize over the next 12 months, was
    # $1.48 billion": a definition's "expect" does not make the figure an outlook.
    main = _DEFINITION.sub(",", s)
    if _GUIDE.search(_PAST_OUTLOOK.sub("", main)):
        return []
    if FUTURE.search(main) and not re.search(
        r"\b(?:was|were|grew|rose|increased|decreased)\b", main
    ):
        return []
    if CAPITAL_RETURN.search(s):
        return []
    if _PROFILE.match(s):
        return []  # "Ledgerline has about $48 million of ARR": another company's profile
    amounts = [
        m
        for m in AMOUNT.finditer(s)
        if _significant(m, s)
        and not (
            # "customers with more than $100,000 in ARR": a threshold, not a figure
            _THRESHOLD.match(s[m.end() :])
            and re.search(
                r"\b(?:more than|over|at least|above|exceeding)\s+$",
                s[: m.start()] + " " + (m.group("approx") or "").strip() + " ",
                re.I,
            )
        )
    ]
    if not amounts:
        return []
    clauses = _clauses(s)
    figures: list[Figure] = []
    growth_only: set[int] = set()
    used: set[int] = set()
    last_vs = False
    skipped: set[int] = set()
    respectively = "respectively" in s.lower()
    for idx, m in enumerate(amounts):
        if idx in used:
            continue
        amount = m.group(0).strip()
        if _EFFECT_BY.search(s[max(0, m.start() - 80) : m.start()]):
            skipped.add(idx)  # "This lowers net revenue by $9 million a quarter": an effect
            continue
        comparison = _comparison(s, m) if _is_percentish(m) else _amount_change(s, m)
        pre = s[max(0, m.start() - 25) : m.start()]
        if idx - 1 in skipped and (
            VERSUS.search(pre)
            or (comparison is not None and comparison.startswith("vs "))
            or _RANGE_JOIN.match(s[amounts[idx - 1].end() : m.start()])
        ):
            skipped.add(idx)  # the comparison or range end of a figure that was left out
            continue
        period = VS_PERIOD.match(s[m.end() : m.end() + 40])
        if (
            figures
            and not comparison
            and period
            and (VERSUS.search(pre) or (last_vs and re.search(r"\band\s+$", pre)))
        ):
            figures[-1].comparisons.append(f"vs {amount} {_short_period(period.group(0))}")
            last_vs = True
            continue
        last_vs = False
        versus_named = _VERSUS_NAMED.search(s[max(0, m.start() - 60) : m.start()])
        if figures and not comparison and versus_named:
            # "33.1%, compared to our typical ETR of approximately 15%"
            figures[-1].comparisons.append(f"vs {versus_named.group(1)}{amount}")
            continue
        if figures and comparison is not None and comparison.startswith("vs "):
            figures[-1].comparisons.append(comparison)
            last_vs = True
            continue
        restated = _VERSUS_METRIC.search(s[max(0, m.start() - 80) : m.start()])
        if figures and comparison is None and restated and metric_weight(restated.group(1)):
            # "compared with non-GAAP diluted earnings per share of $1.10 for the same
            # quarter in 2020": the earlier figure's comparison, not a figure of its own.
            when = VS_PERIOD.match(s[m.end() : m.end() + 50])
            figures[-1].comparisons.append(
                f"vs {amount}" + (f" {_short_period(when.group(0))}" if when else "")
            )
            continue
        share_of = _SHARE_OF_SALES.match(s[m.end() :])
        if (
            figures
            and share_of
            and _is_percentish(m)
            and not _is_percentish(amounts[idx - 1])
            and _ALTERNATIVE.fullmatch(s[amounts[idx - 1].end() : m.start()])
        ):
            # "SG&A was $417 million, or 35.2% of sales": the same figure as a share of sales
            figures[-1].value += f" or {amount} {share_of.group(1)}"
            continue
        if (
            figures
            and _ALTERNATIVE.fullmatch(s[amounts[idx - 1].end() : m.start()])
            and re.match(r"\s*organic", s[m.end() :], re.I)
            and _is_percentish(m)
        ):
            figures[-1].comparisons.append(f"{amount} organic")
            continue
        if (
            figures
            and _ALTERNATIVE.fullmatch(_PER_UNIT.sub("", s[amounts[idx - 1].end() : m.start()]))
            and _same_kind(amounts[idx - 1], m)
        ):
            per = re.match(r"\s+per [\w-]+(?: [A-Z]{2,5}\b| share)?", s[m.end() :])
            # "$1.38 per share, or $402 million of net income": the other figure's own name
            named_as = re.match(rf"\s+of ((?:[\w-]+ ){{0,2}}?(?:{_TERMS}))\b", s[m.end() :], re.I)
            also = per.group(0) if per else f" of {named_as.group(1)}" if named_as else ""
            figures[-1].value += f" or {amount}{also}"
            continue
        if (
            figures
            and id(figures[-1]) in growth_only
            and not comparison
            and re.search(r"\bto\s+$", pre)
        ):
            fig = figures[-1]
            fig.comparisons.insert(0, fig.value)
            fig.value = amount
            growth_only.discard(id(fig))
            continue
        if respectively and comparison and len(figures) > 1:
            rest = [a for a in amounts[idx:] if _is_percentish(a)]
            if len(rest) >= len(figures):
                basis = comparison.split()[-1]
                direction = comparison.split()[0] if comparison.startswith(("up", "down")) else ""
                for f, a in zip(figures[-len(rest) :], rest, strict=False):
                    f.comparisons.append(f"{direction} {a.group(0).strip()} {basis}".strip())
                used.update(range(idx, idx + len(rest)))
                continue
        clause_start = max(c for c, _ in clauses if c <= m.start())
        prev_end = max([a.end() for a in amounts[:idx] if a.end() > clause_start], default=0)
        seg_start = max(clause_start, prev_end)
        clause_end = min([e for c, e in clauses if c > m.start()] + [len(s)])
        subject = _TRAILING.sub("", _subject(s[seg_start : m.start()]))
        as_share = _AS_SHARE.search(s[seg_start : m.start()])
        if as_share:
            # "The provision for write-offs as a percentage of lease revenues was 4.9%"
            head = _lexicon_metric(as_share.group(1), len(as_share.group(1)))
            base = " ".join(as_share.group(2).split()[:4])
            if head:
                subject = f"{head} (% of {base})"
        qualifier = bool(_QUALIFIER.match(subject))
        if (
            _BAD_SUBJECT.search(subject)
            or (words(subject) > 10 and "(% of" not in subject)
            or _NOT_A_SUBJECT.match(subject)
            or re.search(r"\d[\d.,]*\s*(?:%|percent|basis points|bps|points)", subject, re.I)
            or re.search(r"\b(?:decline|increase|decrease|improvement|growth) of\b", subject, re.I)
        ):
            subject = ""
        subject = re.sub(r"\s+from continuing operations$", "", subject, flags=re.I)
        saw = _SAW.match(subject)
        if saw:
            # "Skyscanner also saw air ticket bookings up 100%": the bookings, Skyscanner's
            subject = f"{saw.group(2)} ({saw.group(1)})"
        metric: str | None = None
        attributive = _ATTRIBUTIVE.match(s[m.end() :])
        excluded = _EXCLUDING.match(s[seg_start : m.start()])
        grown = _GREW_TO.search(s[seg_start : m.start()])
        if grown and METRIC.search(grown.group(0)) and _is_percentish(m):
            # "as we grew operating expenses only 9%": the metric the verb names
            metric = _lexicon_metric(grown.group(0), len(grown.group(0)))
            subject = metric or subject
        if excluded and seg_start == clause_start and clause_start > 0:
            # "Total operating expenses, excluding restructuring costs were up $15.7 million":
            # the metric is the earlier clause's, qualified.
            earlier = s[max(c for c, _ in clauses if c < clause_start) : clause_start]
            named = _lexicon_metric(earlier, len(earlier))
            if named and words(earlier) <= words(named) + 2:
                metric = f"{named} ({excluded.group(1).lower()} {excluded.group(2).strip()})"
                subject = metric
        if metric is not None:
            pass
        elif attributive and not _is_percentish(m) and not (subject and metric_weight(subject)):
            # "the $47 million goodwill impairment charge": the amount names its own noun
            metric = attributive.group(1)
        elif (
            (named_of := _OF_TERM.match(s[m.end() : clause_end])) is not None
            and (m.group("cur") or m.group("scale"))
            and not (subject and metric_weight(subject))
        ):
            # "We ended the quarter with $395 million of cash and equivalents"
            metric = named_of.group(1)
        elif (recorded := _RECORDED.search(s[seg_start : m.start()])) is not None:
            metric = recorded.group(1)  # "we recorded a goodwill impairment charge of $47 million"
        elif (
            subject.lower() in _GENERIC
            and topic
            and (subject or re.search(r"\brevenue", s[seg_start:clause_end], re.I))
        ):
            metric = f"{_capitalize(topic)} {subject.lower() or 'revenue'}"
        elif subject and metric_weight(subject):
            metric = subject
        elif (per_share := _per_share_metric(s[seg_start : m.start()], s[m.end() :])) is not None:
            metric = per_share  # "operating earnings of $1.46 per share"
        elif (reported := _REPORTED.search(s[seg_start : m.start()])) is not None:
            # "Retail Banking reported a profit before tax of EUR842 million"
            who = reported.group(1).strip()
            if re.search(r"\bhas\s", reported.group(0)) and not re.fullmatch(
                r"we|it|they|(?:the |our )?(?:company|group|business|bank|firm)", who, re.I
            ):
                # "Tessler has annual revenue of about $140 million": another company's size,
                # which the acquisition's notable line carries, not a figure of the quarter.
                skipped.add(idx)
                continue
            generic = re.fullmatch(
                r"we|it|they|(?:the |our )?(?:company|group|business|bank|firm)", who, re.I
            )
            metric = reported.group(2) if generic else f"{who} {reported.group(2)}"
        elif _RELATIVE.match(s[clause_start:]):
            # "..., which includes a $14 million restructuring charge": the term after it.
            metric = _lexicon_metric(s[m.start() : clause_end], 0)
            if metric is None:
                skipped.add(idx)
                continue
        else:
            metric = _lexicon_metric(s[seg_start:clause_end], m.start() - seg_start)
        share = _SHARE_OF.match(s[m.end() : clause_end])
        if share and subject and words(subject) <= 4 and not metric_weight(subject):
            metric = f"{subject} share of {share.group(1)}{share.group(2)}"
        elif (
            comparison is None
            and _is_percentish(m)
            and re.match(r"\s*of\b", s[m.end() :])
            and not (subject and metric_weight(subject))
        ):
            skipped.add(idx)
            continue  # "61% of the robots we sold": a share of something unnamed
        raw_before = s[seg_start : m.start()].strip()
        we_did = _WE_DID.search(raw_before)
        after = _AFTER_NOUNS.match(s[m.end() : clause_end])
        if metric is None and we_did and after and not _UNIT_WORD.match(after.group(1)):
            metric = f"{after.group(1)} {we_did.group(1).lower()}"
        basis_after = _BASIS_AFTER.match(s[m.end() :])
        if comparison and basis_after and not comparison.startswith("vs "):
            # "up 8.7% on a constant-currency basis": the same figure on another basis
            comparison = f"{comparison} {basis_after.group(1).lower()}"
        if metric is None:
            if comparison and figures and _takes_change(figures[-1], comparison):
                figures[-1].comparisons.append(comparison)
                continue
            if comparison and figures:
                skipped.add(idx)  # "with EMEA up 28%": another subject's change, unnamed
                continue
            bare = re.sub(r"^(?:and|but|or|while|with)\s+", "", raw_before, flags=re.I)
            own = bare and not _VERB.match(bare) and not re.search(r"\b(?:was|were|is|are)$", bare)
            qualified = qualifier and bool(_CHANGE_VERB.search(bare))
            if own and not qualified:
                skipped.add(idx)
                continue  # the clause has its own subject: not a continuation
            metric = _inherited_metric(s, clauses, m.start())
            if metric is None:
                skipped.add(idx)
                continue
        elif comparison and figures and not subject and not metric_weight(metric):
            if _takes_change(figures[-1], comparison):
                figures[-1].comparisons.append(comparison)
            continue
        label = _BASIS_LABEL.search(s[: seg_start if seg_start > clause_start else clause_start])
        if label and label.group(1).lower() not in metric.lower():
            if re.fullmatch(r"(?:non-)?gaap|adjusted", label.group(1), re.I):
                metric = f"{label.group(1)} {metric[:1].lower()}{metric[1:]}"  # "Non-GAAP EPS"
            else:
                metric = f"{metric} ({label.group(1)})"
        metric = re.sub(
            r"^(?:in|we|our|of|on|at|with|for)\s+", "", metric.strip(" ,.;:"), flags=re.I
        )
        metric = _capitalize(_ACCOUNTS_FOR.sub("", metric))
        unit = _UNIT_SUBJECT.match(s)
        if unit and metric.lower() in _GENERIC:
            # "Our Platform and Embedded business, ..., grew revenue 36%": that unit's revenue
            metric = f"{unit.group(1)} {metric.lower()}"
        if not metric or words(metric) > 10:
            continue
        if _COUNT_TERM.search(metric) and (
            m.group("cur")
            or not (
                m.group("scale")
                or _UNIT_NOUN.match(s[m.end() :])
                or _WE_COUNTED.search(s[max(0, m.start() - 40) : m.start()])
            )
        ):
            # "... for all company-operated stores of $132.2 million" is not a count, nor "the
            # top 500 systems": a count is one the company reports ("we installed 38 systems")
            continue
        if _BRIDGE_STEP.search(s[max(0, m.start() - 40) : m.start()]) and _is_cents(m, s):
            # "Weather-normalized sales growth added $0.05": a step of the per-share bridge,
            # not the sales figure
            continue
        value = amount
        per_unit = _PER_UNIT.match(s[m.end() :])
        if per_unit and not re.search(r"\bper\b", metric, re.I):
            value += per_unit.group(0)
        unit_noun = _UNIT_NOUN.match(s[m.end() :])
        if unit_noun and not (m.group("unit") or m.group("cur")):
            value += unit_noun.group(0)  # "4.1 gigawatts", not a bare "4.1"
        nxt = amounts[idx + 1] if idx + 1 < len(amounts) else None
        if (
            comparison is None
            and nxt is not None
            and _RANGE_JOIN.match(s[m.end() : nxt.start()])
            and _same_kind(m, nxt)
        ):
            value = s[m.start() : nxt.end()].strip()
            used.add(idx + 1)
        fig = Figure(
            metric=metric,
            value=comparison or value,
            gaap=gaap_label(metric),
            weight=metric_weight(metric),
            sentence=s,
        )
        if comparison:
            growth_only.add(id(fig))
        figures.append(fig)
    return [f for f in figures if f.weight > 0]


_EARNINGS_BEFORE = re.compile(
    r"((?:[\w-]+\s+){0,3}?)earnings(?:\s+(?:were|was|are|is|of|stand at|stood at|came in at"
    r"|totaled|totalled|reached|amounted to))?(?:\s+(?:approximately|about))?\s*$",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"(?:^|[,;]\s)\W*((?:[A-Z][\w&-]*\s+(?:and\s+|&\s+)?){1,3})(?:segment\s+)?(?:contributed"
    r"|added|delivered|earned)\s*$"
)


def _per_share_metric(before: str, after: str) -> str | None:
    """The name of a per-share figure said without "EPS": "operating earnings of $1.46 per
    share" is operating earnings per share; "Electric Utilities contributed $1.31 per share"
    is that segment's EPS contribution."""
    if not _PER_UNIT.match(after):
        return None
    text = clean(before)
    seg = _CONTRIBUTED.search(text)
    if seg:
        return f"{seg.group(1).strip()} EPS contribution"
    m = _EARNINGS_BEFORE.search(text)
    if not m:
        return None
    mods: list[str] = []
    for tok in reversed(m.group(1).split()):
        if not (_modifier_ok(tok) or tok.lower() == "operating"):
            break
        mods.insert(0, tok)
    head = _DETERMINER.sub("", _PERIOD_WORDS.sub("", " ".join([*mods, "earnings"])))
    return _capitalize(f"{head} per share")


_SHARE_OF_SALES = re.compile(
    r"\s+(of (?:total |net )?(?:sales|revenues?|net sales|net revenues?))\b", re.IGNORECASE
)
_UNIT_NOUN = re.compile(
    r"\s+((?:giga|mega|kilo|tera)watt(?:-hour)?s|GW|MW|GWh|MWh|TWh|kWh|barrels(?: per day)?"
    r"|(?:metric )?tons|tonnes|ounces|bcf|boe(?:/d)?)\b"
)


_VERSUS_NAMED = re.compile(
    r"(?:compared (?:to|with)|versus|vs\.?) (?:our |the |a )?((?:[\w-]+ ){1,3}?)(?:of|at) $",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(r"\s+(?:in|of) (?:ARR|annual|revenue|sales|spend|assets)\b", re.I)
_QUALIFIER = re.compile(r"(?:excluding|including|adjusted for|net of)\b", re.IGNORECASE)
_NOT_A_SUBJECT = re.compile(
    r"(?:versus|vs\b|compared|excluding|including|adjusted for|net of|no|up|down|as|than|from"
    r"|about|both|each|all)\b",
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(r",?\s+(?:or|which is|i\.e\.,?|equivalent to)\s+", re.IGNORECASE)
_BASIS_LABEL = re.compile(
    r"(?:^|,\s)(?:on an? )?(constant[- ]currency|organic|like-for-like|comparable|same-store"
    r"|underlying|currency-neutral|fx-neutral|pro forma|non-GAAP|GAAP|adjusted) basis,\s*$",
    re.IGNORECASE,
)
_CHANGE_VERB = re.compile(
    r"\b(?:was|were|is|are|rose|fell|increased|decreased|grew|declined|up|down)$", re.I
)
_PER_UNIT = re.compile(
    r"^\s+per (?:diluted |basic )?(?:ordinary |common )?(?:share|ADS|unit)\b", re.I
)
_REPORTED = re.compile(
    rf"(?:^|,\s|\.\s)((?:[A-Z][\w&-]*\s){{1,3}})(?:reported|posted|delivered|generated|recorded|contributed|achieved|earned|made|had"
    rf"|has)"
    rf" (?:an? |its |their )?((?:[\w-]+ ){{0,2}}?(?:{_TERMS}))(?: of)?\s*$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"\s*(?:which|that|who)\b", re.IGNORECASE)
_WE_DID = re.compile(
    r"\bwe (?:have |had )?([a-z]+ed)\b(?: (?:a record|a total of|in total))?\s*$", re.IGNORECASE
)
_AFTER_NOUNS = re.compile(r"\s*((?:[A-Za-z][\w-]*\s+){0,3}?[a-z][\w-]*s)\b")
_UNIT_WORD = re.compile(r"(?:basis points|points|times|years|months|days|weeks|cents)$", re.I)


_AS_SHARE = re.compile(
    r"^\W*(.*?\w.*?)\s+as a (?:percentage|percent|share|%) of ((?:[\w-]+ ){0,6}?[\w-]+)"
    r"\s+(?:was|were|is|are|came in at|stood at|reached|of|at)\s*$",
    re.IGNORECASE,
)
_VERSUS_METRIC = re.compile(
    r"(?:compared (?:to|with)|versus|vs\.?) (?:our |the |a )?((?:[\w-]+ ){1,6}?)(?:of|at) $",
    re.IGNORECASE,
)
_EXCLUDING = re.compile(
    r"^\s*(excluding|including|before) ((?:[\w-]+ ){1,6}?)(?:were|was|are|is|rose|fell|increased"
    r"|decreased|grew|declined|came in)\b",
    re.IGNORECASE,
)
_DOWN_WORD = re.compile(r"\b(?:down|decrease\w*|declin\w*|fell|dropped|contracted)\b", re.I)


_CHARGE = (
    r"(?:charge|impairment|payment|settlement|gain|write-?down|write-?off|provision"
    r"|one-time cost|restructuring cost|cash consideration|purchase price)"
)
_SAW = re.compile(
    r"^([A-Z][\w&-]*(?:\s[\w&-]+){0,2}?)\s+(?:also |again )?(?:saw|sees|see)\s+(?:its |their )?"
    r"(.{3,60})$"
)
_ATTRIBUTIVE = re.compile(rf"\s+((?:[a-z][\w-]*\s+){{0,3}}?{_CHARGE}(?:s?\s+charge)?)s?\b")
_RECORDED = re.compile(
    rf"\bwe (?:have )?(?:recorded|recognized|took|booked|incurred|paid) (?:an? |the )?"
    rf"((?:[\w-]+ ){{0,4}}?{_CHARGE}s?) of\s*$",
    re.IGNORECASE,
)
_BASIS_AFTER = re.compile(
    r"\s+(?:on an? |in )?(constant[- ]currency|organic|like-for-like|local[- ]currency"
    r"|currency-neutral|fx-neutral)(?: basis| terms)?\b",
    re.IGNORECASE,
)


_UNIT_SUBJECT = re.compile(
    r"^(?:[Oo]ur |[Tt]he )?([A-Z][\w&-]*(?: (?:and |& )?[A-Z][\w&-]*){0,3})"
    r" (?:business|segment|division|unit)\b"
)
_EFFECT_BY = re.compile(
    r"\b(?:lowers|reduces|raises|increases|boosts|lifts|cuts|decreases|will (?:lower|reduce"
    r"|raise|increase|boost|lift|cut|decrease))\s+(?:[\w-]+\s+){0,4}?by\s+$",
    re.I,
)
_ACCOUNTS_FOR = re.compile(
    r"\s+(?:already |now |still )?(?:accounts? for|accounted for|represents?|represented"
    r"|makes? up|made up)$",
    re.I,
)
_CHANGED_BY = re.compile(
    r"\b(lower|reduc|cut|decreas|rais|increas|boost|lift)\w*\s+(?:[\w-]+\s+){0,4}?by\s+$", re.I
)
_PROFILE = re.compile(r"^(?!The |This |That |It |We |Our )[A-Z][\w&-]*(?: [A-Z][\w&-]*){0,2} has\b")
_GREW_TO = re.compile(
    r"\b(?:grew|rose|increased|declined|decreased|fell|dropped)\s+(?:[\w&-]+\s+){0,3}$", re.I
)


def _takes_change(fig: Figure, comparison: str) -> bool:
    """Whether a bare change ("up 28%") can be the comparison of ``fig``: not when the figure
    already states a change, which would make the second one another subject's."""
    if not re.match(r"(?:up|down) ", comparison) or re.search(
        r"YoY|sequentially|vs |currency|organic|like-for-like|neutral", comparison
    ):
        return True
    return not (
        re.match(r"(?:up|down) ", fig.value)
        or any(re.match(r"(?:up|down) ", c) for c in fig.comparisons)
    )


def _amount_change(s: str, m: re.Match[str]) -> str | None:
    """An amount that states a change ("increased $5.1 million") or an earlier level
    ("compared with $441 million in the third quarter of 2020"), else None."""
    before = s[max(0, m.start() - 40) : m.start()]
    amount = m.group(0).strip()
    change = UP_DOWN_RIGHT_BEFORE.search(before)
    if change:
        return f"{'down' if _DOWN_WORD.search(change.group(0)) else 'up'} {amount}"
    by = _CHANGED_BY.search(before)
    if by:
        # "This lowers reported net revenue by roughly $9 million": an effect, not a level
        down = re.match(r"(?:lower|reduc|cut|decreas)", by.group(1), re.I)
        return f"{'down' if down else 'up'} {amount}"
    if VERSUS.search(before) and not re.search(r"\b(?:up|down) from\s+$", before, re.I):
        # "compared with $1.33 per share in the third quarter of last year"
        rest = _PER_UNIT.sub("", s[m.end() : m.end() + 70])
        when = VS_PERIOD.match(rest[:50])
        if when:
            return f"vs {amount} {_short_period(when.group(0))}"
    if re.search(r",\s+(?:up|down) from\s+$", before, re.I) and re.match(
        r"\s*(?:[.;]|$)", s[m.end() :]
    ):
        return f"vs {amount}"  # "contributed $1.31 per share, up from $1.17."
    return None


def _short_period(text: str) -> str:
    """ "for the third quarter of 2020" -> "in Q3 2020"; other periods as written."""
    text = text.strip()
    q = re.fullmatch(
        r"(?:in|for) the (first|second|third|fourth) quarter of ((?:19|20)\d\d)", text, re.I
    )
    if q:
        return f"in Q{_ORD[q.group(1).lower()]} {q.group(2)}"
    return text


def _inherited_metric(s: str, clauses: list[tuple[int, int]], at: int) -> str | None:
    """For a clause with no subject ("coming in at 25.4%"), the metric of an earlier clause
    of the sentence, skipping parentheticals ("which is defined as ...")."""
    qualified: str | None = None
    for start, end in reversed([c for c in clauses if c[1] < at]):
        text = s[start:end]
        if re.match(r"\s*(?:which|who|where|defined|calculated)\b", text, re.I):
            continue
        qualifier = re.fullmatch(
            r"\s*((?:excluding|including|before) [\w&/ -]{3,40}?)[\s,]*", text, re.I
        )
        if qualifier:
            # "Operating expenses, excluding regulatory costs, were EUR2.26 billion"
            qualified = qualifier.group(1).lower()
            continue
        lex = _lexicon_metric(text, len(text))
        if lex:
            return f"{lex} ({qualified})" if qualified else lex
        qualified = None
    return None


def is_figure(m: re.Match[str], s: str) -> bool:
    """True when an ``AMOUNT`` match in ``s`` is a figure, not a year, date or count."""
    return _significant(m, s)


_WE_COUNTED = re.compile(
    r"\bwe (?:have )?(?:installed|opened|shipped|placed|signed|launched|added|delivered"
    r"|completed) (?:a record )?$",
    re.IGNORECASE,
)


def _significant(m: re.Match[str], s: str) -> bool:
    """Skip years, dates, quarter and list numbers: they are not figures."""
    num = m.group("num")
    if m.group("unit") or m.group("cur") or m.group("scale"):
        return not re.match(r"\s*cents?", m.group("unit") or "") or bool(m.group("cur"))
    value = float(num.replace(",", ""))
    if re.fullmatch(r"(?:19|20)\d\d", num):
        return False
    if "," not in num and "." not in num and value < 100:
        if _WE_COUNTED.search(s[max(0, m.start() - 40) : m.start()]) and not re.match(
            r"\s*(?:to|-|–|and)\s*\d", s[m.end() :]
        ):
            return True  # "We installed 38 Kestrel systems in the quarter": a count reported
        # a bare count ("20 stores") is rarely a key figure; "30 to 40%" is a range
        return bool(re.match(r"\s*(?:to|-|–|and)\s*\d[\d.,]*\s?(?:%|percent)", s[m.end() :]))
    before = s[max(0, m.start() - 12) : m.start()].lower()
    after = s[m.end() : m.end() + 12].lower()
    if re.search(
        r"(?:january|february|march|april|may|june|july|august|september|october"
        r"|november|december|q|fy|h)\s*$",
        before,
    ):
        return False
    if re.match(
        r"\s*(?:st|nd|rd|th)\b|-day|\s*day|-month|\s*months?|\s*years?|\s*quarters?", after
    ):
        return False
    return (value >= 1 and bool(re.search(r"\d\.\d|\d{2,}", num))) or "." in num


# --- guidance -----------------------------------------------------------------------------

_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:outlook|guidance|forecast) for (?:the )?(?:full[- ]year|fiscal year|year)"
            r"(?: ((?:19|20)\d\d))?",
            re.I,
        ),
        "FY",
    ),
    (
        re.compile(
            r"\b(first|second|third|fourth)[- ]quarter(?: of)?(?: fiscal(?: year)?)?"
            r" ?((?:19|20)\d\d)?",
            re.I,
        ),
        "Q",
    ),
    (re.compile(r"\bQ([1-4])(?: ((?:19|20)\d\d))?\b"), "Qn"),
    (re.compile(r"\b(?:full[- ]year|fiscal year|for the year)\b(?: ((?:19|20)\d\d))?", re.I), "FY"),
    (
        re.compile(
            r"\b(?:second half|back half|remainder of the year|rest of the year)\b"
            r"(?: of ((?:19|20)\d\d))?",
            re.I,
        ),
        "H2",
    ),
    (
        re.compile(
            r"\b(?:in the long run|long[- ]term|over the long term|in the long term)\b", re.I
        ),
        "long term",
    ),
    (re.compile(r"\bnext year\b", re.I), "next year"),
    (re.compile(r"\b(?:by|at) (?:the )?(?:end of the year|year[- ]end)\b", re.I), "year end"),
    (re.compile(r"\b(?:coming quarters|near future|next few quarters)\b", re.I), "coming quarters"),
    (re.compile(r"\b(?:in|mid|by|early|late|for|through) ((?:19|20)\d\d)\b", re.I), "Y"),
]
_ORD = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_FISCAL_YEAR = re.compile(r"\b(?:for |in )?(?:fiscal|FY) ?(?:year )?((?:19|20)\d\d)\b", re.I)
_PAST_REFERENCE = re.compile(
    r"(?:compared (?:to|with)|versus|vs\.?|same period|than|since|from|over|pre[- ]\w+)\W+"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def guidance_period(text: str, fiscal: bool = False) -> str | None:
    """The period a forward-looking sentence covers, as a short label."""
    if not re.search(r"\bquarter\b", text, re.I):
        fy = _FISCAL_YEAR.search(text)
        if fy:
            return f"FY{fy.group(1)}"
    for pattern, kind in _PERIOD_PATTERNS:
        m = next(
            (
                x
                for x in pattern.finditer(text)
                if not _PAST_REFERENCE.search(text[max(0, x.start() - 40) : x.start()])
            ),
            None,
        )
        if not m:
            continue
        if kind == "Q":
            year = m.group(2)
            q = f"Q{_ORD[m.group(1).lower()]}"
            if year:
                return (
                    f"{q} FY{year}" if fiscal or "fiscal" in m.group(0).lower() else f"{q} {year}"
                )
            return q
        if kind == "Qn":
            return f"Q{m.group(1)}" + (f" {m.group(2)}" if m.group(2) else "")
        if kind == "FY":
            return f"FY{m.group(1)}" if m.group(1) else "Full year"
        if kind == "H2":
            return f"H2 {m.group(1)}" if m.group(1) else "H2"
        if kind == "Y":
            return m.group(1)
        return kind
    return None


@dataclass
class Outlook:
    """A forward-looking statement found in a sentence."""

    metric: str
    text: str
    period: str | None
    numeric: bool
    low: float | None
    high: float | None
    value: float | None
    unit: str | None
    currency: str | None
    gaap: str | None
    direction: str | None
    weight: int


def _float(m: re.Match[str]) -> float:
    return float(m.group("num").replace(",", ""))


def _unit(m: re.Match[str]) -> str | None:
    unit = (m.group("unit") or "").strip().lower()
    scale = (m.group("scale") or "").strip().lower()
    if unit in {"%", "percent", "per cent"}:
        return "%"
    if unit.startswith("basis") or unit == "bps":
        return "bps"
    if unit.startswith("percentage") or unit == "pp":
        return "pp"
    return scale or unit or None


def _currency(m: re.Match[str]) -> str | None:
    cur = (m.group("cur") or "").strip(" ,").upper()
    return {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "HK$": "HKD"}.get(
        cur, cur or None
    )


_EXPECT_X = re.compile(
    r"\b(?:expect(?:s|ing)?|anticipate[sd]?)\s+(?:to see\s+)?(?P<x>[\w&/ -]{2,60}?)\s+to\s+"
    r"(?:be|grow|remain|maintain|increase|decrease|rise|fall|decline|fluctuate|improve|stay|reach"
    r"|continue)"
    r"|^(?P<y>[\w&/ -]{2,50}?)\s+(?:is|are)\s+(?:both\s+|all\s+)?(?:expected|anticipated|tracking"
    r"|likely)\b"
    r"|\b(?:hope|expect|expecting|may|might|could) to see (?:the |a |an |our )?(?P<z>[\w -]{3,40}?)"
    r"\s+(?:take off|recover|rebound|improve|grow|return|reopen|continue|increase|decrease|decline"
    r"|remain|stabilize|gradually|relax)"
    r"|\b(?:expect|anticipate|guiding to|guide to)\s+(?:an? |our )?(?P<w>[a-z][\w -]{2,30}?)\s+"
    r"(?:in the|of|at|between|around|in a range)\b"
    r"|\b(?:guidance|outlook) for (?:our |the )?(?P<v>[a-z][\w -]{2,40}?)"
    r"(?:,| of | to | at | for )"
    r"|\b(?:outlook|guidance|forecast) (?:also |continues to )?assumes? (?:that )?(?:the |our )?"
    r"(?P<u>[a-z][\w -]{2,40}?)\s+(?:remains?|will|would|is|are|to)\b",
    re.IGNORECASE,
)


def _expected_subject(s: str) -> str | None:
    """What "we expect X to ..." or "X is expected to ..." is about."""
    m = _EXPECT_X.search(s)
    if not m:
        return None
    x = next((g for g in m.groups() if g), "").strip()
    # "that annual write-offs will be between ...": the subject ends at its verb.
    x = re.sub(r"\s+(?:will|would|should|to|is|are|was|were)\b.*$", "", x, flags=re.I)
    x = _PERIOD_TAIL.sub("", x)
    # "we expect to generate non-GAAP net income between ...": the metric, not the verb
    x = re.sub(
        r"^to (?:generate|deliver|achieve|report|see|record|reach|post)\s+", "", x, flags=re.I
    )
    if m.group("w") and re.search(
        r"\b(?:increase|decrease|decline|improvement|reduction|change|pickup|slowdown|very"
        r"|modest|slight|significant)\b",
        x,
        re.I,
    ):
        return None  # "expect a modest increase in X": the change is not the metric
    x = _LEAD.sub("", x)
    x = _PERIOD_WORDS.sub("", x)
    x = re.sub(r"^(?:both|the|our|its|this|that|these|it|we|to see)\s+", "", x, flags=re.I)
    named = _GENERIC - {"revenue", "revenues", "sales", "net revenue"}
    if not x or words(x) > 7 or _BAD_SUBJECT.search(x) or x.lower() in named:
        return None
    return x


_PERIOD_TAIL = re.compile(
    r"\s+(?:for|in|during|over) (?:the )?(?:(?:full[- ]year|year|fiscal(?: year)?)"
    r"(?: (?:19|20)\d\d)?|(?:19|20)\d\d|quarter|(?:first|second|third|fourth) quarter"
    r"|second half)$",
    re.IGNORECASE,
)
_WE_EXPECT = r"(?:we|the company) (?:do |also |now |still |continue to )?expects?"


def _compact_guidance(text: str, metric: str | None) -> str:
    """Drop the words the guidance line already shows: "X is expected to be" before the figure."""
    if not metric:
        return text
    m = re.escape(metric)
    patterns = [
        rf"^{_WE_EXPECT} (?:to see )?(?:both )?(?:the |our )?{m}(?: for [\w ]{{3,25}}?)?"
        rf" to (?:be )?",
        rf"^(?:both )?{m} (?:is|are) (?:both |all )?(?:expected|anticipated|likely) to (?:be )?",
        rf"^(?:both )?{m} (?:is|are) tracking ",
        rf"^(?:we )?(?:have )?(?:also )?(?:again )?(?:increased|raised|lowered|reduced|maintained"
        rf"|reaffirmed|updated|narrowed) our (?:[\w-]+ )?(?:outlook|guidance) for (?:an? |the )?{m}"
        rf" (?:to |of )?",
        rf"^{_WE_EXPECT} (?:to see )?(?:both )?{m}(?: from continuing operations)? (?:of|at|between"
        rf"|in the range of) (?=(?:approximately |about |around |roughly )?\S*\d)",
        # "For the fourth quarter, that implies revenue in a range of $1.86 billion to ..."
        rf"^(?:that |this )?(?:implies|means) (?:an? )?{m} (?:in (?:a|the) range of |of |between )?"
        rf"(?=(?:approximately |about |around |roughly )?\S*\d)",
        rf"^{_WE_EXPECT} to (?:generate|deliver|achieve|report|see"
        rf"|record) (?:an? )?{m} (?:of )?",
        # "We have reduced our free cash flow outlook for 2021 to $30 million to $40 million"
        rf"^(?:we )?(?:have |are )?(?:also )?(?:again )?(?:increased|raised|lowered|reduced"
        rf"|maintained|reaffirmed|updated|narrowed|reiterated|tightened|reaffirming|raising"
        rf"|lowering|maintaining) our (?:[\w-]+ ){{0,3}}?{m}"
        rf" (?:outlook|guidance|range|target|forecast)(?: for (?:fiscal )?(?:19|20)\d\d)?"
        rf"(?: to| of| at)? ",
        # the later part of "We expect X of ... and non-GAAP EPS of $0.60 to $0.62"
        rf"^(?:and )?(?:the |our )?{m} (?:of|at|between|in the range of) "
        rf"(?=(?:approximately |about |around |roughly )?\S*\d)",
        # "Our revised outlook continues to assume customer payment activity remains higher"
        rf"^(?:.{{0,60}}?\b)?assumes? (?:that )?(?:the |our )?{m} ",
        # "we continue to expect that annual write-offs will be between 4% to 5%"
        rf"^(?:.{{0,80}}?\b)?{m} (?:will|would|should) (?:be |remain |come in )?"
        rf"(?=(?:between |in the range of |around |about |approximately |roughly |at )?\S*\d)",
    ]
    for pattern in patterns:
        cut = re.match(pattern, text, re.IGNORECASE)
        if cut and (words(text[cut.end() :]) >= 3 or AMOUNT.match(text[cut.end() :])):
            rest = text[cut.end() :]
            moved = _FROM_TO.match(rest)
            if moved:
                # "from a range of 6% to 8% to a range of 7.5% to 8.5%": the new range first.
                rest = f"{moved.group('new')} (from {moved.group('old')})" + moved.group("tail")
            return (
                rest[:1].upper() + rest[1:]
                if rest[:1].isalpha() and not rest[:1].isupper()
                else rest
            )
    return text


_END = r"[$€£¥]?\d[\d.,]*\s?(?:%|percent|million|billion)?"
_RANGE_TEXT = rf"{_END}(?: to | and |-){_END}"
_FROM_TO = re.compile(
    rf"^from (?:a range of )?(?P<old>{_RANGE_TEXT}) to (?:a range of )?(?P<new>{_RANGE_TEXT})"
    r"(?P<tail>.*)$",
    re.IGNORECASE,
)
_STATUS_CLAUSE = re.compile(
    r"\bwe (?:are |have |now )?(?:also |again )?(?:rais|increas|reaffirm|reiterat|maintain|lower"
    r"|cut|reduc|withdr|suspend|updat|narrow)\w* (?:our|the)\b",
    re.IGNORECASE,
)


OUTLOOK_START = re.compile(
    r"\b(?:(?:turning|turn|moving|move|now|let me turn) to (?:the |our )?(?:outlook|guidance"
    r"|business outlook|(?:first|second|third|fourth) quarter|next quarter|full year|fiscal year)"
    r"|regarding (?:our |the )?(?:business )?outlook|our (?:business )?(?:outlook|forecast) for"
    r"|share some colou?r)",
    re.IGNORECASE,
)
OUTLOOK_END = re.compile(
    r"\b(?:in closing|upcoming events|open (?:up )?the (?:call|line|floor)|take (?:some |your )?"
    r"questions|conclude (?:our|my) (?:prepared )?remarks|q&a)\b",
    re.IGNORECASE,
)


_EXPLANATION = re.compile(
    r"^(?:(?:this|that|these|the) (?:[\w-]+ ){0,3}?(?:is|was|were|are) (?:primarily |mainly "
    r"|largely |partly )?(?:a result of|due to|driven by|attributable to|because)"
    r"|as (?:i|we) (?:have )?(?:previously )?(?:described|mentioned|said|discussed|noted))\b",
    re.IGNORECASE,
)
_BECAUSE = re.compile(
    r",?\s+(?:because|due to|reflecting|driven by|as a result of)\b|,\s+(?:with|given)\b", re.I
)


def _metric_name(lex: str | None) -> str | None:
    """A guidance label that is a name, or None: "NII and", "To land", "On the first" and
    "Continued gradual" are pieces of a sentence, shown as "Outlook" instead."""
    if not lex:
        return None
    name = lex
    for _ in range(3):
        name = re.sub(r"\s+(?:and|or|of|the|to|by the end|in|on)$", "", name, flags=re.I)
    if re.match(r"(?:to|on|in|at|by|for|continued|continuing|further)\b", name, re.I):
        return None
    return name or None


def own_period(sentence: str, fiscal: bool = False) -> str | None:
    """The period a statement is about, leaving out its reason ("because of the costs we
    expect in the fourth quarter")."""
    return guidance_period(_BECAUSE.split(sentence, maxsplit=1)[0], fiscal=fiscal)


_PART_BREAK = re.compile(
    r";\s+(?=(?:and )?we\b)|,\s+and\s+(?=we (?:also |now |still )?(?:expect|anticipate|project"
    r"|forecast|plan|target|guide)\b)"
    # "... operating income of $98 million to $102 million and non-GAAP EPS of $0.60 to $0.62"
    rf"|(?:(?<=[\d%])(?P<keep> million| billion)?,?|,)\s+and\s+"
    rf"(?=(?:[\w-]+ ){{0,5}}?(?:{_TERMS}) (?:of|at|between|in the range of) "
    r"(?:approximately |about |around )?[$€£¥]?\d)",
    re.IGNORECASE,
)


def guidance_parts(sentence: str) -> list[str]:
    """A sentence that states several outlooks ("... tax rate of 26%; we expect D&A of $70
    million, and we expect ...") as its verbatim parts, one outlook each."""
    parts: list[str] = []
    start = 0
    for m in _PART_BREAK.finditer(sentence):
        end = m.end("keep") if m.group("keep") else m.start()
        if words(sentence[start:end]) >= 4 and words(sentence[m.end() :]) >= 5:
            parts.append(sentence[start:end])
            start = m.end()
    parts.append(sentence[start:])
    return parts


def extract_outlook(
    sentence: str, context_period: str | None = None, *, in_outlook: bool = False
) -> Outlook | None:
    """A guidance statement of one sentence, or None when it is not forward-looking.

    ``in_outlook``: the sentence sits in the outlook part of the remarks ("Turning to the
    fourth quarter, ..."), where figures and trend words count without a forward cue.
    """
    s = clean(sentence)
    cued = bool(FORWARD.search(_DEFINITION.sub(",", s)))
    forward = cued or (in_outlook and bool(AMOUNT.search(s) or QUALITATIVE.search(s)))
    if not forward or NOT_GUIDANCE.search(s) or words(s) < 5:
        return None
    amounts = [m for m in AMOUNT.finditer(s) if _significant(m, s)]
    # "... to 83 billion yen, because of the closure costs we expect in the fourth quarter":
    # the period of the reason is not the period of the forecast.
    period = own_period(s)
    if context_period and (
        period is None or (re.match(r"Q[1-4]$", period) and context_period.startswith(period))
    ):
        # "the third quarter" under "For the third quarter of fiscal 2026, ..." is Q3 FY2026;
        # "For the fourth quarter" under a full-year heading stays Q4.
        period = context_period
    lex = _expected_subject(s) or _lexicon_metric(s, amounts[0].start() if amounts else len(s))
    if lex is None:
        first = METRIC.search(s)
        lex = _lexicon_metric(s, first.end()) if first else None
    numeric = bool(amounts)
    if not numeric and not QUALITATIVE.search(s):
        return None
    if not numeric and not cued and not FUTURE.search(s) and _EXPLANATION.match(s):
        return None  # "This increase is primarily a result of ...": an explanation, not an outlook
    if lex:
        lex = _DETERMINER.sub("", _PERIOD_TAIL.sub("", _PERIOD_WORDS.sub("", lex))) or lex
    metric = _capitalize(_metric_name(lex) or "Outlook")
    low = high = value = None
    if len(amounts) >= 2 and _RANGE_JOIN.match(s[amounts[0].end() : amounts[1].start()]):
        low, high = _float(amounts[0]), _float(amounts[1])
    elif amounts:
        value = _float(amounts[0])
    direction = None
    if not numeric:
        low_s = s.lower()
        if re.search(r"\bstable|flat|similar level|fluctuat", low_s):
            direction = "stable"
        elif re.search(r"\b(?:increase|grow|rise|improv|accelerat|higher|strong|up)\w*", low_s):
            direction = "up"
        elif re.search(r"\b(?:decrease|decline|lower|down|slow)\w*", low_s):
            direction = "down"
    keep = [lex] if lex else []
    body = s
    lead = re.match(
        r"^(?:for|in|during|looking (?:ahead|forward) to|turning to|as we look (?:ahead )?to)"
        r" (?:(?:the )?[^,]{0,40}?(?:quarter|year|half)(?: of (?:fiscal )?(?:(?:19|20)\d\d"
        r"|the year))?(?: (?:19|20)\d\d)?|(?:fiscal )?(?:19|20)\d\d),?\s+",
        s,
        re.I,
    )
    if lead and period:
        body = s[lead.end() :]
    body = _compact_guidance(body, lex)
    status = _STATUS_CLAUSE.search(body)
    if status and not numeric and status.start() and body[: status.start()].rstrip().endswith(","):
        # "The strong results, we are again raising our outlook ...": the clause that says it.
        body = _capitalize(body[status.start() :])
    trend = QUALITATIVE.search(body)
    if not numeric and trend:
        keep.append(trend.group(0))
    text = trim(body, 17 if numeric else 14, keep=keep)
    weight = (6 if numeric else 2) + (2 if period else 0) + metric_weight(metric) // 3
    return Outlook(
        metric=metric,
        text=text,
        period=period,
        numeric=numeric,
        low=low,
        high=high,
        value=value,
        unit=_unit(amounts[0]) if amounts else None,
        currency=_currency(amounts[0]) if amounts else None,
        gaap=gaap_label(s),
        direction=direction,
        weight=weight,
    )


# --- notable items ------------------------------------------------------------------------


@dataclass
class Event:
    kind: str
    text: str
    weight: int


_RELEASE_POINTER = re.compile(
    r"\bas (?:you (?:may have )?(?:saw|seen|read)|we (?:announced|noted|said|disclosed)) in "
    r"(?:our|the|today's|this (?:morning|afternoon|evening)'s) (?:press|earnings) release,?\s*",
    re.IGNORECASE,
)


_AFTER_PRICE = re.compile(
    r"(?:,\s*|\s+)(?:including|plus|and up to|with|of which|subject to|pending)\b", re.I
)


def _up_to_price(s: str) -> str:
    """A deal sentence cut after its first amount of money, when more follows it."""
    price = next((m for m in AMOUNT.finditer(s) if m.group("cur") or m.group("scale")), None)
    if price is None:
        return s
    tail = _AFTER_PRICE.search(s, price.end())
    return s[: tail.start()] if tail else s


def extract_event(sentence: str) -> Event | None:
    """A notable event stated in one sentence (management change, disposal, capital return...)."""
    s = clean(sentence)
    # "First, as you saw in our press release, we signed an agreement to acquire ...": the
    # pointer to the release is no reason to skip the event.
    s = _RELEASE_POINTER.sub("", s)
    if words(s) < 6 or (NOT_GUIDANCE.search(s) and "?" not in s):
        return None
    for kind, pattern, weight in NOTABLE_CUES:
        m = next(
            (
                x
                for x in pattern.finditer(s)
                if not _EXCLUDED.search(s[max(0, x.start() - 30) : x.start()])
            ),
            None,
        )
        if not m:
            continue
        cue = m.group(0)
        # A capital return or a charge is its amount: the figures are kept, the cue word may go
        # to the label. Any other event is its cue ("resigned", "acquired").
        amounts = kind in {"capital_return", "one_off"} and AMOUNT.search(s)
        if kind == "other" and re.search(r"\b(?:guidance|outlook)\b", s, re.I):
            return None  # "we are introducing 2027 guidance": the guidance section's line
        if kind in {"acquisition", "disposal"}:
            # A deal is its subject and its price: "agreed to sell our Texas gas business
            # for $1.9 billion", without what follows the price ("including ... of debt").
            text = trim(_up_to_price(s), 22, keep=[cue])
        else:
            text = trim(s, 18) if amounts else trim(s, 18, keep=[cue])
        if cue.lower() not in text.lower():
            label = _capitalize(cue) if kind in {"capital_return", "other"} else _KIND_LABEL[kind]
            text = f"{label}: {text}"
        proper = len(re.findall(r"(?<=\s)[A-Z][a-zA-Z]+", s))
        if kind == "other" and not proper:
            continue  # a launch or a partnership names what it is about
        bonus = min(proper, 3) + (2 if AMOUNT.search(s) and kind == "capital_return" else 0)
        if kind == "other" and HEADLINE.search(s):
            bonus += 2  # "the biggest news this quarter was the launch of ..."
        return Event(kind=kind, text=text, weight=weight + bonus)
    return None


# --- Q&A ----------------------------------------------------------------------------------


_LEAD_IN = re.compile(
    r"^(?:(?:so|and|but|also|then|okay|ok|great|yes|just|now|hi|hello)\b,?\s*"
    r"|[A-Z][a-z]+, (?=[a-z]|I\b)"
    r"|(?:i'm|i am|i was|i'd|i) (?:just |also |really )?(?:wondering|curious|wanted to (?:ask|know"
    r"|understand|dig into|follow up)|want to (?:ask|understand)|would (?:like|love) to (?:ask|know"
    r"|understand|hear)|guess|had|have|think)\b(?: (?:if|whether|about|on|that))?"
    r"(?: you could)?(?: (?:help us )?(?:appreciate|understand|talk about|comment on|give us"
    r"|share))?(?: kind of| a little bit| some color on)?,?\s*"
    r"|(?:my (?:first |second |follow-up )?question is(?: about| on)?|(?:the )?first one"
    r"|the second one|secondly|second(?:ly)?|first(?:ly)?|as you probably know|as you know"
    r"|just following up on|just building on [^.,]*|following up on|on the)\b,?\s*)",
    re.IGNORECASE,
)
_DULL = frozenset(
    re.findall(
        r"\w+",
        "question questions wondering congratulations thanks thank curious think about could "
        "would maybe there their those these really little color comment share great quarter "
        "taking management something anything whether should kind please follow second first "
        "morning evening afternoon noticed company results original schedule wanted sense "
        "expecting seeing talking looking give help understand appreciate just also able "
        "guys your you're we're that's what's there's then than with from into this that",
    )
)


_TOPIC_TERM = re.compile(
    rf"(?:{_TERMS}|margins?|costs?|pricing|price|demand|supply|inventory|capacity|competition"
    r"|guidance|outlook|buybacks?|repurchases?|dividends?|acquisitions?|reopening|recovery"
    r"|growth|visibility|mix|architecture|process|investments?|regulat\w*|resign\w*|pull-ins?"
    r"|digestion|structural|international|domestic|outbound|inbound|litigation|lawsuit|appeal"
    r"|settlement|tariffs?|regulation|competition|acquisition|divestiture|synergies)s?",
    re.IGNORECASE,
)


def _content_words(text: str) -> list[float]:
    """A weight per word: topic terms and names count most, fillers nothing."""
    out: list[float] = []
    for i, raw in enumerate(text.split()):
        w = raw.strip(".,?!;:'\"()[]…")
        if len(w) < 3 or w.lower() in _DULL:
            out.append(0.0)
            continue
        weight = 1.0 if len(w) >= 4 else 0.5
        if _TOPIC_TERM.fullmatch(w):
            weight += 1.0
        if i > 0 and w[:1].isupper() and not raw.endswith(":"):
            weight += 0.75
        if re.search(r"\d", w):
            weight += 0.5
        out.append(weight)
    return out


def _best_window(text: str, size: int) -> str:
    """The ``size``-word stretch of ``text`` that holds the most content words."""
    tokens = text.split()
    if len(tokens) <= size:
        return text
    mask = _content_words(text)
    best, best_start = -1.0, 0
    window = sum(mask[:size])
    for start in range(0, len(tokens) - size + 1):
        if start:
            window += mask[start + size - 1] - mask[start - 1]
        score = window - start * 0.005
        if score > best:
            best, best_start = score, start
    out = " ".join(tokens[best_start : best_start + size]).rstrip(" ,;:")
    prefix = "… " if best_start else ""
    return prefix + out + (" …" if best_start + size < len(tokens) else "")


def best_window(text: str, size: int) -> str:
    """The densest ``size``-word stretch of a question (see ``_content_words``)."""
    return _best_window(text.strip(" …"), size)


def _strip_lead_in(sentence: str) -> str:
    for _ in range(5):
        new = _LEAD_IN.sub("", sentence, count=1)
        if new == sentence:
            break
        sentence = new
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


_TOPIC_STATEMENT = re.compile(
    r"\b(?:question|questions|ask|follow-up|follow up|two|both|one)\b,?\s+(?:\w+,?\s+){0,2}?"
    r"(?:on|about|regarding|around|related to)\b",
    re.IGNORECASE,
)


_TOPIC_LEAD = re.compile(
    r"^(?:(?:hey|hi|so|and|okay),?\s+)?(?:[A-Z][a-z]+,\s+)?(?:on|regarding|about|turning to)"
    r" (?:the |your |this )?[^,?]{3,50},"
)


def question_gist(text: str, max_words: int = 22) -> str:
    """The analyst's ask in one line: the one or two sentences richest in topics, stripped of
    greetings and lead-ins ("I was wondering if you could...")."""
    sentences = [clean(s) for s in split_sentences(text)]
    sentences = [s for s in sentences if s and not FILLER.match(s) and words(s) >= 4]
    if not sentences:
        return trim(clean(text), max_words) if clean(text) else ""
    scored = []
    for i, s in enumerate(sentences):
        body = _strip_lead_in(s)
        score = sum(_content_words(body)) * 0.4 + (2 if s.endswith("?") else 0) - i * 0.3
        if _TOPIC_STATEMENT.search(s):
            score += 6  # "My question is on the Belgian litigation." names the topic
        elif _TOPIC_LEAD.match(s):
            score += 4  # "Ellen, on the hip liner field action, I want to understand ..."
        if NON_ANSWER.search(s):
            score -= 1
        scored.append((score, i, body))
    top = sorted(scored, key=lambda t: (-t[0], t[1]))[:2]
    top.sort(key=lambda t: t[1])
    if len(top) == 1 or words(top[0][2]) >= max_words:
        return _best_window(top[0][2], max_words)
    first = _best_window(top[0][2], max(max_words // 2, max_words - words(top[1][2])))
    second = _best_window(top[1][2], max_words - words(first.replace("…", "")))
    # One elision mark between the two stretches, not "… …".
    return re.sub(r"…\s+…", "…", f"{first} {second}")


def answer_gist(text: str, question: str, max_words: int = 18) -> tuple[str, str]:
    """The answer's key sentence (trimmed) and the verbatim sentence it comes from.

    A refusal ("we don't guide on that") is the key sentence whenever there is one."""
    raw = split_sentences(text)
    q_words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", question)}
    best: tuple[float, int, str] | None = None
    for i, sentence in enumerate(raw[:12]):
        s = clean(sentence)
        if not s or FILLER.match(s) or words(s) < 5:
            continue
        score = 0.0
        if any(_significant(a, s) for a in AMOUNT.finditer(s)):
            score += 2
        if FORWARD.search(s):
            score += 1.5
        overlap = len(q_words & {w.lower() for w in re.findall(r"[A-Za-z]{4,}", s)})
        score += min(overlap, 4) * 0.75
        score -= i * 0.35
        if NON_ANSWER.search(s):
            score += 3
        if best is None or score > best[0]:
            best = (score, i, sentence)
    if best is None:
        first = raw[0] if raw else text
        return trim(_VOCATIVE.sub("", clean(first)), max_words), first
    return trim(_VOCATIVE.sub("", clean(best[2])), max_words), best[2]


_VOCATIVE = re.compile(r"^(?:sure|yes|yeah|okay|so|well)?,?\s*[A-Z][a-z]+, (?=[a-z]|I\b)")


TOPIC = re.compile(
    r"^(?:starting|moving|turning|let's turn|let me turn|now turning|now to|next|onto)"
    r"(?: (?:with|to|on|over to))?(?: our)? (?P<topic>[\w &/-]{2,30}?)\s*[.:]?$",
    re.IGNORECASE,
)


_NAMED_TOPIC = re.compile(
    # "First, Ridgeline." / "Now Sable Creek, our apparel brand.": a brand or segment by name
    r"^(?:(?:First|Second|Third|Fourth|Next|Now|Finally|Lastly)(?:ly)?,?\s+(?:at\s+)?"
    r"(?P<topic>[A-Z][\w&/-]*(?: [A-Z][\w&/-]*){0,3})(?:, (?:our|the|its) [^.,]{3,40})?"
    r"|(?P<named>[A-Z][\w&/-]*(?: [A-Z][\w&/-]*){0,3}), (?:our|the|its) [^.,]{3,40})\s*[.:]?$"
)


def topic_of(sentence: str) -> str | bool | None:
    """A short "Moving to data center." sentence names the segment that follows.

    Returns the topic, ``None`` for a generic heading (which resets the topic), or False
    when the sentence is not a heading.
    """
    named = _NAMED_TOPIC.match(clean(sentence))
    if named:
        return (named.group("topic") or named.group("named")).strip()
    m = TOPIC.match(clean(sentence))
    if not m:
        return False
    topic = m.group("topic").strip()
    if re.search(
        r"\b(?:p&l|outlook|balance sheet|rest|financials?|results|guidance)\b", topic, re.I
    ):
        return None
    return topic
