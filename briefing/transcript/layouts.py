"""One reader per transcript layout, and the detection that picks one.

Each reader turns source lines into raw turns (speaker label as written, title and
affiliation where the layout states them, the 1-based lines that hold the text) plus the
participant roster when the layout lists one. Roles, sections, interpretation and Q&A
exchanges are worked out afterwards, the same way for every layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefing.transcript.model import Section
from briefing.transcript.roles import is_operator_name

LAYOUTS = ("refinitiv", "streetevents", "streetevents-brief", "motley-fool", "plain", "asr")


@dataclass
class RawTurn:
    """A turn as the layout wrote it, before names and roles are resolved."""

    label: str
    title: str | None
    affiliation: str | None
    start: int
    end: int
    text: str
    section: Section | None = None
    speaker_id: str | None = None


@dataclass
class Listed:
    """A participant from the roster at the top (or bottom) of a transcript."""

    name: str
    affiliation: str | None
    title: str | None
    group: str | None  # "company", "call" or None when the layout does not say


@dataclass
class LayoutResult:
    layout: str
    turns: list[RawTurn]
    listed: list[Listed] = field(default_factory=list)
    qa_marked: bool = False
    warnings: list[str] = field(default_factory=list)


_RULE = re.compile(r"^\s*(?:-{8,}|={8,}|_{8,}|\*{8,})\s*$")
_SE_HEADER = re.compile(r"^\s*(?P<label>\S.*?)\s*\[\d+\]\s*$")
_SECTION_QA = re.compile(
    r"^\s*(?:questions?\s*(?:and|&)\s*answers?(?:\s+session)?|q\s*&\s*a(?:\s+session)?"
    r"|question-and-answer\s+session|questions?-and-answers?)\s*:?\s*$",
    re.I,
)
_SECTION_PRES = re.compile(
    r"^\s*(?:presentation|prepared\s+remarks|management\s+discussion\s+section"
    r"|opening\s+remarks|management\s+remarks)\s*:?\s*$",
    re.I,
)
_FOOTER = re.compile(
    r"^\s*(?:DISCLAIMER|Disclaimer|Definitions|Duration:\s*\d+.*|Call [Pp]articipants:?"
    r"|Copyright\b.*|©.*|This article is a transcript of this conference call.*"
    r"|\[Operator [Ss]ign-?[Oo]ff\]|\[Operator Closing Remarks\].*)\s*$"
)
_COMPANY_HEAD = re.compile(r"^\s*(?:corporate|company)\s+participants?\s*:?\s*$", re.I)
_CALL_HEAD = re.compile(
    r"^\s*(?:conference\s+call\s+particip\w*|other\s+participants?|analysts?|call\s+participants?"
    r"|participants?)\s*:?\s*$",
    re.I,
)


def section_marker(line: str) -> Section | None:
    """A stand-alone line that opens the presentation or the Q&A."""
    if len(line) > 60:
        return None
    if _SECTION_QA.match(line):
        return "qa"
    if _SECTION_PRES.match(line):
        return "presentation"
    return None


def is_footer(line: str) -> bool:
    return len(line) < 120 and bool(_FOOTER.match(line))


def _body(lines: Sequence[str], first: int, last: int) -> tuple[str, int, int] | None:
    """Text of lines ``first``..``last`` (1-based, inclusive), blank lines dropped."""
    kept: list[tuple[int, str]] = []
    for number in range(first, last + 1):
        line = lines[number - 1].strip()
        if line and not _RULE.match(line):
            kept.append((number, line))
    if not kept:
        return None
    return "\n".join(t for _, t in kept), kept[0][0], kept[-1][0]


def _body_end(lines: Sequence[str], start: int) -> int:
    """The last line (1-based) before the footer that closes the transcript."""
    for number in range(start, len(lines) + 1):
        if is_footer(lines[number - 1]):
            return number - 1
    return len(lines)


def _split_name_rest(label: str) -> tuple[str, str | None, str | None]:
    """``Name, Company - Title`` / ``Name - Title`` -> (name, affiliation, title).

    StreetEvents puts two spaces after the name's comma, which keeps "John Smith, Jr.,
    Acme - CEO" apart from the company; a single comma is the fallback.
    """
    sep = ",  " if ",  " in label else ","
    if sep in label:
        name, rest = label.split(sep, 1)
        rest = " ".join(rest.replace("*", " ").split())
        if " - " in rest:
            aff, title = rest.split(" - ", 1)
            return " ".join(name.split()), aff.strip() or None, title.strip() or None
        return " ".join(name.split()), rest or None, None
    label = " ".join(label.replace("*", " ").split())
    if " - " in label:
        name, title = label.split(" - ", 1)
        return name.strip(), None, title.strip() or None
    return label, None, None


# --- StreetEvents (Thomson Reuters / Refinitiv "Event Transcript" and "Event Brief") -----


def read_streetevents(lines: Sequence[str]) -> LayoutResult:
    """``====`` section bars, turns headed ``Name,  Company - Title  [n]`` between rules."""
    n = len(lines)
    sections: list[tuple[int, str]] = []
    for i in range(1, n - 1):
        bar_above = _RULE.match(lines[i - 1]) and lines[i - 1].strip().startswith("=")
        if bar_above and lines[i].strip() and _RULE.match(lines[i + 1]):
            sections.append((i + 1, lines[i].strip()))
    for i, line in enumerate(lines):
        if section_marker(line) is not None or _BRIEF_SECTION.match(line):
            blank_above = i == 0 or not lines[i - 1].strip() or _RULE.match(lines[i - 1])
            if blank_above and (i + 1, line.strip()) not in sections:
                sections.append((i + 1, line.strip()))
    sections.sort()
    headers: list[int] = []
    loose = _loose_se_headers(lines)
    for i, line in enumerate(lines):
        if not _SE_HEADER.match(line):
            continue
        prev_rule = i > 0 and _RULE.match(lines[i - 1]) is not None
        next_rule = i + 1 < n and _RULE.match(lines[i + 1]) is not None
        if prev_rule or next_rule or i + 1 in loose:
            headers.append(i + 1)
    brief = any("event brief" in line.lower() for line in lines[:15])
    listed = _streetevents_roster(lines, sections)
    result = LayoutResult("streetevents-brief" if brief else "streetevents", [], listed)
    section_lines = {number for number, _ in sections}
    end_of_body = _body_end(lines, headers[-1] if headers else 1)
    qa_marked = False
    for k, header in enumerate(headers):
        if header > end_of_body:
            break
        nxt = headers[k + 1] - 1 if k + 1 < len(headers) else end_of_body
        last = min(nxt, end_of_body)
        # drop the section bars and titles that fall inside the span
        span_last = last
        for number in range(header + 1, last + 1):
            if number in section_lines:
                span_last = number - 1
                break
        label = _SE_HEADER.match(lines[header - 1])
        body = _body(lines, header + 1, span_last)
        current = _section_at(sections, header)
        qa_marked = qa_marked or current == "qa"
        if body is None or label is None:
            continue
        name, aff, title = _split_name_rest(label.group("label"))
        result.turns.append(RawTurn(name, title, aff, body[1], body[2], body[0], current))
    result.qa_marked = qa_marked
    if brief:
        result.warnings.append(
            "event brief: the presentation is a summary, not verbatim; prepared remarks may be"
            " missing"
        )
    return result


_BRIEF_SECTION = re.compile(
    r"^\s*(?:presentation\s+summary|q\s*&\s*a\s+summary|overview|financial\s+results"
    r"|guidance|corporate\s+participants|conference\s+call\s+particip\w*)\s*$",
    re.I,
)
_LOOSE_SE = re.compile(r"^\s*(?P<label>[A-Z][^\[\]]{1,200}?)\s+\[\d{1,4}\]\s*$")


def _loose_se_headers(lines: Sequence[str]) -> set[int]:
    """``Name, Company - Title [n]`` lines with no rules around them (Event Brief, PDF)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        m = _LOOSE_SE.match(line)
        if not m or len(line.split()) > 30:
            continue
        label = m.group("label")
        if (
            " - " in label
            or "," in label
            or is_operator_name(label.strip())
            or len(label.split()) <= 4
        ):
            found.add(i + 1)
    return found if len(found) >= 2 else set()


def _section_at(sections: Sequence[tuple[int, str]], line: int) -> Section | None:
    current: Section | None = None
    for number, title in sections:
        if number > line:
            break
        marker = section_marker(title)
        low = title.lower()
        if marker is not None:
            current = marker
        elif "question" in low:
            current = "qa"
        elif "presentation" in low or "remarks" in low:
            current = "presentation"
        else:
            current = None
    return current


def _streetevents_roster(lines: Sequence[str], sections: Sequence[tuple[int, str]]) -> list[Listed]:
    listed: list[Listed] = []
    for idx, (number, title) in enumerate(sections):
        low = title.lower()
        if "participant" not in low and "particip" not in low:
            continue
        group = "company" if ("corporate" in low or "company" in low) else "call"
        end = sections[idx + 1][0] - 2 if idx + 1 < len(sections) else min(len(lines), number + 80)
        i = number  # 0-based index of the line below the heading
        while i < end:
            m = re.match(r"^\s*[*•-]\s+(?P<name>\S.*?)\s*$", lines[i])
            if m:
                aff: str | None = None
                ttl: str | None = None
                nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
                if nxt and not re.match(r"^\s*[*•-]\s", lines[i + 1]) and not _RULE.match(nxt):
                    if " - " in nxt:
                        aff, ttl = (s.strip() or None for s in nxt.split(" - ", 1))
                    else:
                        aff = nxt
                    i += 1
                name = m.group("name")
                if "," in name and aff is None:
                    name, aff, ttl = _split_name_rest(name)
                listed.append(Listed(name.strip(), aff, ttl, group))
            i += 1
    return listed


# --- speaker lines standing alone (LSEG 2024, Motley Fool, "Name - Title" blocks) --------

_MD_ROSTER = re.compile(r"^\s*[-*•]\s+\*\*(?P<name>[^*]+?)\*\*\s*(?:\*(?P<rest>[^*]*)\*)?\s*$")
_FOOL_SPEAKER = re.compile(r"^\s*(?P<name>[^\s-][^\n]{1,60}?)\s+--\s+(?P<rest>\S.{0,160})$")
_SENTENCE_END = re.compile(r"[.?!:;\"”)]\s*$")


def _roster_from_block(
    lines: Sequence[str], start: int, end: int, group: str | None
) -> list[Listed]:
    out: list[Listed] = []
    for i in range(start, min(end, len(lines))):
        line = lines[i]
        m = _MD_ROSTER.match(line)
        if m:
            rest = (m.group("rest") or "").strip()
            aff, ttl = _aff_title(rest)
            out.append(Listed(m.group("name").strip(), aff, ttl, group))
            continue
        f = _FOOL_SPEAKER.match(line)
        if f:
            aff, ttl = _aff_title(f.group("rest"), sep="--")
            out.append(Listed(f.group("name").strip(), aff, ttl, group))
            continue
        bullet = _PLAIN_BULLET.match(line)  # "• Karen Ji Qifu Technology Inc - Director" (PDF)
        if bullet:
            entry = bullet.group("entry").strip()
            found = _loose_refinitiv_speaker(entry, set()) if " - " in entry else None
            if found is not None:
                out.append(Listed(found[0], found[1], found[2], group))
            elif _is_name_like(entry):
                out.append(Listed(entry, None, None, group))
    return out


_PLAIN_BULLET = re.compile(r"^\s*[-*•▪●◦]\s+(?P<entry>[^*\s].{1,200})$")


def _aff_title(rest: str, sep: str = " - ") -> tuple[str | None, str | None]:
    rest = " ".join(rest.split())
    if not rest:
        return None, None
    if sep == "--":
        parts = [p.strip() for p in rest.split("--") if p.strip()]
        if len(parts) >= 2:
            return parts[0], " -- ".join(parts[1:])
        return None, parts[0] if parts else None
    if " - " in rest:
        aff, title = rest.split(" - ", 1)
        return aff.strip() or None, title.strip() or None
    return None, rest


def _find_rosters(lines: Sequence[str]) -> list[Listed]:
    """Participant lists under "Corporate Participants" / "Call participants:" headings."""
    listed: list[Listed] = []
    for i, line in enumerate(lines):
        group: str | None = None
        if _COMPANY_HEAD.match(line):
            group = "company"
        elif _CALL_HEAD.match(line):
            group = "call" if "conference" in line.lower() or "other" in line.lower() else None
        else:
            continue
        end = i + 1
        while end < len(lines) and end - i < 80:
            raw = lines[end]
            text = raw.strip()
            if text:
                heading = _COMPANY_HEAD.match(text) or _CALL_HEAD.match(text)
                if heading or section_marker(text) is not None:
                    break
                entry = (
                    _MD_ROSTER.match(raw) or _FOOL_SPEAKER.match(raw) or _PLAIN_BULLET.match(raw)
                )
                if not entry and len(text.split()) > 12:
                    break  # prose: the list has ended
            end += 1
        listed.extend(_roster_from_block(lines, i + 1, end, group))
    return listed


def _speaker_line(
    line: str, roster: dict[str, Listed]
) -> tuple[str, str | None, str | None] | None:
    """(name, affiliation, title) when ``line`` is a speaker line standing alone."""
    text = line.strip()
    if not text or len(text) > 200:
        return None
    plain = text.replace("*", "").strip()
    if is_operator_name(plain) or plain.lower() in {
        "editor",
        "unidentified participant",
        "unidentified analyst",
        "unidentified company representative",
        "unidentified speaker",
        "unknown speaker",
        "interpreter",
    }:
        return plain, None, None
    if plain in roster:
        entry = roster[plain]
        return entry.name, entry.affiliation, entry.title
    for name, entry in roster.items():
        if plain.startswith(name + " ") and len(plain) - len(name) < 160:
            rest = plain[len(name) :].strip()
            if " - " in rest or " -- " in rest or rest.startswith(("-", "–")):
                aff, title = _aff_title(
                    rest.lstrip("-– ") if rest.startswith(("-", "–")) else rest,
                    sep="--" if "--" in rest else " - ",
                )
                return entry.name, aff or entry.affiliation, title or entry.title
    f = _FOOL_SPEAKER.match(text)
    if f and len(text.split()) <= 24 and not f.group("name").endswith((".", ",")):
        name = f.group("name").strip()
        if _is_name_like(name) and not _names_a_call(f.group("rest")):
            aff, title = _aff_title(f.group("rest"), sep="--")
            return name, aff, title
    star = re.match(r"^(?P<name>[A-Z][^*]{1,60}?)\s+\*(?P<rest>[^*]+)\*\s*$", text)
    if star and _is_name_like(star.group("name")):
        aff, title = _aff_title(star.group("rest"))
        return star.group("name").strip(), aff, title
    return None


def _plain_speaker_line(line: str, repeated: set[str]) -> tuple[str, str | None, str | None] | None:
    """``Jane Doe - Chief Executive Officer`` or a bare name that recurs, alone on a line."""
    text = line.strip()
    if len(text.split()) > 16 or _SENTENCE_END.search(text):
        return None
    for sep in (" - ", " – ", " — ", " | "):
        if sep in text:
            name, rest = text.split(sep, 1)
            if len(name.split()) >= 2 and _is_name_like(name.strip()) and not _names_a_call(rest):
                aff, title = title_or_affiliation(rest.strip())
                return name.strip(), aff, title
            return None
    if text in repeated and 2 <= len(text.split()) <= 4 and _is_name_like(text):
        return text, None, None
    return None


def _strong_speaker_line(
    line: str, found: tuple[str, str | None, str | None], roster: dict[str, Listed]
) -> bool:
    """A speaker line that needs no blank line above it to be believed."""
    name, _, title = found
    if name in roster or is_operator_name(line.strip()):
        return True
    return "--" in line and len(name.split()) >= 2 and title is not None


def _loose_refinitiv_speaker(
    line: str, affiliations: set[str]
) -> tuple[str, str | None, str | None] | None:
    """``Name Company - Title`` for a speaker the roster misses: split where a known
    affiliation starts, else after the first two words (three with a middle initial)."""
    text = line.strip().replace("*", "")
    words = text.split()
    if " - " not in text or not 4 <= len(words) <= 18 or _SENTENCE_END.search(text):
        return None
    if not all(w[:1].isupper() or w in {"-", "&", "of", "and", "de"} for w in words[:2]):
        return None
    split: int | None = None
    for k in (2, 3, 4):
        rest = " ".join(words[k:])
        if any(rest.startswith(a) for a in affiliations):
            split = k
            break
    if split is None:
        split = 3 if re.match(r"^[A-Z]\.$", words[1]) else 2
    name = " ".join(words[:split])
    if not _is_name_like(name) or " - " in name:
        return None
    aff, title = _aff_title(" ".join(words[split:]))
    return name, aff, title


_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[a-z]{1,3}|[A-Z]\.|\(.*\)|<unk>)$")


def _is_name_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    if not words[0][:1].isupper():
        return False
    if not all(_NAME_WORD.match(w) for w in words) or _SENTENCE_END.search(name):
        return False
    return not is_header_label(name)


_CALL_TITLE = re.compile(
    r"\b(?:earnings|conference|results)\s+(?:call|webcast|presentation)\b", re.I
)


def _reads_as_call_title(text: str) -> bool:
    """A short line naming the call and its period, no sentence: "Q2 FY2026 Results"."""
    text = text.strip()
    return (
        0 < len(text.split()) <= 15
        and not text.endswith((".", "?", "!"))
        and re.search(r"\b(?:earnings|results|conference call|webcast|transcript)\b", text, re.I)
        is not None
        and re.search(
            r"\b(?:Q[1-4]|quarter|fiscal|FY\d*|H[12]|half|year|(?:19|20)\d\d)\b", text, re.I
        )
        is not None
    )


def _names_a_call(rest: str) -> bool:
    """What follows the dash is the call's title ("Acme -- Q3 Earnings Call"), no job title."""
    return (
        _CALL_TITLE.search(rest) is not None or re.search(r"\btranscript\b", rest, re.I) is not None
    )


def read_blocks(lines: Sequence[str], layout: str) -> LayoutResult:
    """Speaker lines standing alone between blank lines, the text in the lines below."""
    listed = _find_rosters(lines)
    roster = {entry.name: entry for entry in listed}
    affiliations = {e.affiliation for e in listed if e.affiliation}
    repeated: set[str] = set()
    if layout == "plain":
        seen: set[str] = set()
        for line in lines:
            key = line.strip()
            if key and len(key) < 60:
                (repeated if key in seen else seen).add(key)
    heads: list[tuple[int, tuple[str, str | None, str | None]]] = []
    markers: list[tuple[int, Section]] = []
    started = False
    for i, line in enumerate(lines):
        number = i + 1
        marker = section_marker(line)
        if marker is not None and (started or i + 1 < len(lines)):
            markers.append((number, marker))
            started = True
            continue
        if _in_roster_block(lines, i):
            continue
        prev_blank = i == 0 or not lines[i - 1].strip() or section_marker(lines[i - 1]) is not None
        found = _speaker_line(line, roster)
        if not prev_blank and not (found is not None and _strong_speaker_line(line, found, roster)):
            continue  # text without blank lines (PDF): only unmistakable speaker lines count
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if found is None and layout == "refinitiv" and next_blank:
            found = _loose_refinitiv_speaker(line, affiliations)
        if found is None and layout == "plain":
            found = _plain_speaker_line(line, repeated)
        if found is not None:
            heads.append((number, found))
            started = True
    result = LayoutResult(layout, [], listed, qa_marked=any(s == "qa" for _, s in markers))
    if not heads:
        return result
    end_of_body = _body_end(lines, heads[-1][0])
    marker_lines = {number for number, _ in markers}
    for k, (number, (name, aff, title)) in enumerate(heads):
        if number > end_of_body:
            break
        last = heads[k + 1][0] - 1 if k + 1 < len(heads) else end_of_body
        last = min(last, end_of_body)
        for m in range(number + 1, last + 1):
            if m in marker_lines:
                last = m - 1
                break
        body = _body(lines, number + 1, last)
        if body is None:
            continue
        section: Section | None = None
        for m_line, marker in markers:
            if m_line < number:
                section = marker
        result.turns.append(RawTurn(name, title, aff, body[1], body[2], body[0], section))
    return result


def _in_roster_block(lines: Sequence[str], i: int) -> bool:
    """True for lines of a participant list (they look like speaker lines but are not).

    Walks up over blank lines and other list entries to the "Participants" heading; any
    line of prose on the way means ``i`` is a speaker line in the body.
    """
    if _MD_ROSTER.match(lines[i]):
        return True
    for j in range(i - 1, max(-1, i - 60), -1):
        line = lines[j]
        if not line.strip():
            continue
        if _COMPANY_HEAD.match(line) or _CALL_HEAD.match(line):
            return True
        entry = _MD_ROSTER.match(line) or _FOOL_SPEAKER.match(line)
        if not entry and not re.match(r"^\s*[*•-]\s+\S", line):
            return False
    return False


# --- prefixed turns: "Name: text", "Name - Title: text", "[speaker 3] text" --------------

_ASR_TAG = re.compile(
    r"^\s*(?:\[\s*(?:speaker|spk|spkr)[ _-]?(?P<a>\d+)\s*(?:[|,][^\]]*)?\]"
    r"|(?:speaker|spk|spkr)[ _-]?(?P<b>\d+)\s*(?:\([^)]*\)|\[[^\]]*\])?\s*:)\s*(?P<text>.*)$",
    re.I,
)
_PREFIX = re.compile(r"^\s*(?P<label>[A-Z][^:\n]{0,120}?)\s*:\s*(?P<text>.*)$")
_LABEL_TITLE = re.compile(
    r"^(?P<name>.+?)\s*(?:\s[-–—]{1,2}\s+(?P<t1>.+)|,\s*(?P<t2>.+)|\((?P<t3>[^)]+)\))?$"
)
_NOT_NAMES = frozenset(
    {
        "note",
        "notes",
        "source",
        "date",
        "time",
        "event",
        "re",
        "subject",
        "from",
        "to",
        "q",
        "a",
        "question",
        "answer",
        "revenue",
        "total",
        "guidance",
        "outlook",
        "highlights",
        "agenda",
        "summary",
        "copyright",
        "website",
        "url",
        "http",
        "https",
        "contents",
        "transcript",
        "ticker",
        "company",
        "call",
        "participants",
        "speakers",
        "location",
        "and",
        "but",
        "so",
        "however",
        "example",
        "for example",
        "in summary",
        "first",
        "second",
        "third",
        "finally",
        "key",
        "important",
        "warning",
        "disclaimer",
        "title",
        "tel",
        "phone",
        "email",
        "fax",
    }
)


def read_asr(lines: Sequence[str]) -> LayoutResult:
    """Speech recognition: ``[speaker 3] text`` or ``Speaker 3: text``; nobody named."""
    result = LayoutResult("asr", [])
    heads: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        m = _ASR_TAG.match(line)
        if m:
            heads.append((i + 1, m.group("a") or m.group("b"), m.group("text")))
    _prefixed_turns(
        lines, [(n, f"Speaker {sid}", None, None, t, sid) for n, sid, t in heads], result
    )
    return result


def read_plain(lines: Sequence[str]) -> LayoutResult:
    """``Name: text`` or ``Name - Title: text`` turns; the text may run on below."""
    result = LayoutResult("plain", [])
    candidates: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        m = _PREFIX.match(line)
        if not m:
            continue
        label = m.group("label").strip()
        if not _plausible_label(label):
            continue
        candidates.append((i + 1, label, m.group("text")))
    counts: dict[str, int] = {}
    for _, label, _ in candidates:
        counts[_label_name(label)] = counts.get(_label_name(label), 0) + 1
    heads: list[tuple[int, str, str | None, str | None, str, str | None]] = []
    for number, label, text in candidates:
        name = _label_name(label)
        personish = len(name.split()) >= 2 or is_operator_name(name)
        if counts[name] < 2 and not personish:
            continue
        prev = lines[number - 2].strip() if number > 1 else ""
        prose = bool(prev) and not _SENTENCE_END.search(prev) and not is_operator_name(name)
        if prose and counts[name] < 2:
            continue  # a colon inside running prose ("as follows: ..."), not a new speaker
        if not heads and counts[name] < 2 and _reads_as_call_title(text):
            continue  # "Acme Software: Q2 2026 Earnings Call" heads the transcript
        _, aff, title = _split_label(label)
        heads.append((number, name, aff, title, text, None))
    markers = [
        (i + 1, s) for i, line in enumerate(lines) if (s := section_marker(line)) is not None
    ]
    result.qa_marked = any(s == "qa" for _, s in markers)
    _prefixed_turns(lines, heads, result, markers)
    return result


def read_json_turns(lines: Sequence[str], heads: Sequence[int]) -> LayoutResult:
    """Lines laid out from JSON turns: every head line is ``Speaker - Title: text``."""
    result = LayoutResult("json", [])
    prefixed: list[tuple[int, str, str | None, str | None, str, str | None]] = []
    for number in heads:
        label, _, text = lines[number - 1].partition(": ")
        name, aff, title = _split_label(label)
        numbered = re.fullmatch(r"(?i:speaker|spk|spkr)[ _-]?(\d+)", name)
        sid = numbered.group(1) if numbered else None  # speech recognition: names to recover
        prefixed.append((number, f"Speaker {sid}" if sid else name, aff, title, text, sid))
    markers = [
        (i + 1, s) for i, line in enumerate(lines) if (s := section_marker(line)) is not None
    ]
    result.qa_marked = any(s == "qa" for _, s in markers)
    _prefixed_turns(lines, prefixed, result, markers, footer=False)
    return result


def _plausible_label(label: str) -> bool:
    name = _label_name(label)
    if not name or name.lower() in _NOT_NAMES or len(label) > 120 or is_header_label(label):
        return False
    if any(ch.isdigit() for ch in name) and not re.match(r"^speaker \d+$", name, re.I):
        return False
    return _is_name_like(name) or (name.isupper() and len(name.split()) <= 5)


_CORPORATE_WORD = re.compile(
    r"^(?:Inc|Incorporated|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|plc|PLC|N\.V|S\.A"
    r"|GmbH|Holdings|Group|Bancorp)\.?,?$|^Co\.,?$",
    re.I,
)
_HEADER_WORD = re.compile(
    r"^(?:earnings|conference|call|webcast|transcript|results|quarter|quarterly|fiscal"
    r"|presentation|annual|meeting|edited)$",
    re.I,
)
_LIST_HEADINGS = frozenset(
    {"participants", "speakers", "presenters", "attendees", "executives", "analysts"}
)
_TICKER = re.compile(
    r"\((?:NYSE|NASDAQ|Nasdaq|NYSE\s*American|AMEX|TSX|TSXV|LSE|ASX|HKEX|SEHK|TSE|OTC\w*)\b"
)


def is_header_label(label: str) -> bool:
    """A header line ("Acme Software, Inc. (NYSE: ACME)", "Earnings Call: Q2") whose colon
    is not a speaker's: a company with its legal form or ticker, an unclosed parenthesis
    (the colon falls inside it), or a call title ("Earnings Call"; one such word alone may
    be a surname: Brandon Call)."""
    if label.count("(") > label.count(")") or _TICKER.search(label):
        return True
    name, _, rest = label.partition(",")
    words = name.split()
    if words and words[-1].lower() in _LIST_HEADINGS:
        return True  # "Company Participants:", "Speakers:" head a list, nobody speaks
    if any(_CORPORATE_WORD.match(w) for w in words[1:]):
        return True
    if sum(1 for w in words if _HEADER_WORD.match(w)) >= 2:
        return True
    first_rest = rest.split()[:1]
    return bool(first_rest) and _CORPORATE_WORD.match(first_rest[0]) is not None


def _label_name(label: str) -> str:
    return _split_label(label)[0]


def _split_label(label: str) -> tuple[str, str | None, str | None]:
    """``Name``, ``Name - Title``, ``Name - Firm``, ``Name, Title, Firm``, ``Name (Title)``."""
    m = _LABEL_TITLE.match(label.strip())
    if not m:
        return label.strip(), None, None
    name = m.group("name").strip()
    rest = m.group("t1") or m.group("t2") or m.group("t3")
    if not rest:
        return name, None, None
    aff, title = title_or_affiliation(rest.strip())
    return name, aff, title


_TITLE_WORDS = re.compile(
    r"\b(?:chief|officer|president|vp|svp|evp|vice|director|head|chair\w*|ceo|cfo|coo|cto"
    r"|analyst|investor relations|ir|manager|treasurer|controller|founder|managing|md"
    r"|secretary|counsel|executive|lead|principal|interpreter|operator)\b",
    re.I,
)


def title_or_affiliation(rest: str) -> tuple[str | None, str | None]:
    """Split what follows a name into (affiliation, title), whichever order it comes in."""
    for sep in (" -- ", " - ", " – ", ", "):
        if sep not in rest:
            continue
        first, second = (p.strip() for p in rest.split(sep, 1))
        first_title, second_title = (
            bool(_TITLE_WORDS.search(first)),
            bool(_TITLE_WORDS.search(second)),
        )
        if second_title and not first_title:
            return first or None, second or None
        if first_title and not second_title:
            return second or None, first or None
        if first_title and second_title:
            return None, rest
        return first or None, second or None
    return (None, rest) if _TITLE_WORDS.search(rest) else (rest, None)


def _prefixed_turns(
    lines: Sequence[str],
    heads: Sequence[tuple[int, str, str | None, str | None, str, str | None]],
    result: LayoutResult,
    markers: Sequence[tuple[int, Section]] = (),
    *,
    footer: bool = True,
) -> None:
    if not heads:
        return
    end_of_body = _body_end(lines, heads[-1][0]) if footer else len(lines)
    marker_lines = {number for number, _ in markers}
    for k, (number, name, aff, title, first_text, sid) in enumerate(heads):
        if number > end_of_body:
            break
        last = heads[k + 1][0] - 1 if k + 1 < len(heads) else end_of_body
        last = min(last, end_of_body)
        for m in range(number + 1, last + 1):
            if m in marker_lines:
                last = m - 1
                break
        parts: list[tuple[int, str]] = []
        if first_text.strip():
            parts.append((number, first_text.strip()))
        for m in range(number + 1, last + 1):
            line = lines[m - 1].strip()
            if line and not _RULE.match(line):
                parts.append((m, line))
        if not parts:
            continue
        section: Section | None = None
        for m_line, marker in markers:
            if m_line < number:
                section = marker
        result.turns.append(
            RawTurn(
                name,
                title,
                aff,
                number,
                parts[-1][0],
                "\n".join(p for _, p in parts),
                section,
                sid,
            )
        )


# --- detection -----------------------------------------------------------------------------


def detect_layout(lines: Sequence[str]) -> str:
    """The layout whose markers the text carries most clearly; "plain" by default."""
    se_headers = 0
    asr = 0
    fool = 0
    md_roster = 0
    refinitiv_marks = 0
    fool_marks = 0
    for i, line in enumerate(lines):
        if _SE_HEADER.match(line) and i > 0 and _RULE.match(lines[i - 1]):
            se_headers += 1
        if _ASR_TAG.match(line):
            asr += 1
        if _FOOL_SPEAKER.match(line) and len(line.split()) <= 24:
            fool += 1
        if _MD_ROSTER.match(line):
            md_roster += 1
        low = line.strip().lower()
        if low in {
            "prepared remarks:",
            "questions and answers:",
            "questions & answers:",
            "call participants:",
        }:
            fool_marks += 1
        if (
            low
            in {
                "corporate participants",
                "conference call participants",
                "presentation",
                "questions and answers",
                "editor",
            }
            and line.strip().isupper()
        ):
            refinitiv_marks += 1
    if se_headers < 2 and len(_loose_se_headers(lines)) >= 3:
        se_headers = len(_loose_se_headers(lines))
    if se_headers >= 2:
        return (
            "streetevents-brief"
            if any("event brief" in line.lower() for line in lines[:15])
            else "streetevents"
        )
    if asr >= 2 and asr * 3 >= _count_plain(lines):
        return "asr"
    if md_roster >= 2 or refinitiv_marks >= 2:
        return "refinitiv"
    if fool_marks >= 1 or fool >= 3:
        return "motley-fool"
    return "plain"


def _count_plain(lines: Sequence[str]) -> int:
    return sum(1 for line in lines if _PREFIX.match(line) and not _ASR_TAG.match(line))


READERS: dict[str, Callable[[Sequence[str]], LayoutResult]] = {
    "refinitiv": lambda lines: read_blocks(lines, "refinitiv"),
    "streetevents": read_streetevents,
    "streetevents-brief": read_streetevents,
    "motley-fool": lambda lines: read_blocks(lines, "motley-fool"),
    "plain": read_plain,
    "asr": read_asr,
}
