"""Reading a transcript file (text, PDF, speaker-tagged JSON) into a ``Transcript``.

The flow: decode bytes into lines (``decode``), pick a layout and cut the lines into raw
turns (``layouts``), then the same steps for every layout: resolve who speaks and in what
role (titles first, then what is said), split presentation from Q&A, fold interpreted
answers into the executive's turn, and segment remarks and exchanges (``segments``).

``Turn.index`` is the turn's position in ``Transcript.turns`` (0-based); ``Exchange.index``
counts exchanges from 1, as a reader numbers questions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from briefing.errors import InputError
from briefing.transcript.decode import Decoded, read_source
from briefing.transcript.layouts import (
    LAYOUTS,
    READERS,
    LayoutResult,
    Listed,
    RawTurn,
    detect_layout,
    read_blocks,
    read_json_turns,
)
from briefing.transcript.model import (
    EXECUTIVE_ROLES,
    Participant,
    Role,
    Section,
    Transcript,
    Turn,
)
from briefing.transcript.roles import (
    best_match,
    clean_company,
    divisional,
    handover_target,
    is_non_person,
    is_operator_name,
    looks_like_analyst_affiliation,
    name_match_score,
    name_tokens,
    parse_intro,
    role_from_title,
    role_mentions,
    self_introduction,
    stronger_role,
    thanked_name,
)
from briefing.transcript.segments import build_exchanges, group_remarks

__all__ = ["LAYOUTS", "parse_transcript"]

_MIN_TURNS = 2


def parse_transcript(source: str | Path, *, layout: str | None = None) -> Transcript:
    """Parse a transcript from a path or from its text.

    A ``Path`` is read from disk; a ``str`` naming an existing file is read too, any other
    string is the transcript text. ``layout`` forces one of ``LAYOUTS`` instead of detecting
    it. Raises ``InputError`` (one line naming the file and the reason) for anything that
    cannot be read as a transcript.
    """
    if layout is not None and layout not in LAYOUTS:
        raise InputError(
            str(source) if isinstance(source, Path) else None,
            f"unknown layout {layout!r} (choose from {', '.join(LAYOUTS)})",
        )
    decoded = read_source(source)
    try:
        return _parse_lines(decoded, layout)
    except InputError:
        raise
    except (ValueError, IndexError, KeyError, RecursionError) as exc:  # pragma: no cover
        raise InputError(decoded.source, f"could not be parsed ({type(exc).__name__})") from exc


def _parse_lines(decoded: Decoded, forced: str | None) -> Transcript:
    lines = decoded.lines
    if decoded.heads and forced is None:
        return _assemble(decoded, lines, read_json_turns(lines, decoded.heads))
    chosen = forced or detect_layout(lines)
    result = READERS[chosen](lines)
    if forced is None and len(result.turns) < _MIN_TURNS:
        # The markers misled detection: take whichever other reader finds the most turns.
        candidates = [
            READERS["plain"](lines),
            read_blocks(lines, "plain"),
            READERS["motley-fool"](lines),
            READERS["asr"](lines),
        ]
        best = max(candidates, key=lambda alt: len(alt.turns))
        if len(best.turns) > len(result.turns):
            result = best
    if len(result.turns) < _MIN_TURNS:
        raise InputError(
            decoded.source,
            "no speaker turns found (not a transcript, or an unsupported layout; try --layout)",
        )
    return _assemble(decoded, lines, result)


def _assemble(decoded: Decoded, lines: Sequence[str], result: LayoutResult) -> Transcript:
    title, company, period, call_date = _metadata(lines, result)
    people = _People(result.listed, company)
    labels = [people.resolve(raw) for raw in result.turns]
    if result.layout == "asr" or any(r.speaker_id for r in result.turns):
        _name_asr_speakers(result.turns, labels, people)
    company = company or people.company
    people.apply_speech_roles(result.turns, labels)
    sections = _sections(result, labels, people)
    people.settle_unknown(labels, sections)
    people.one_per_top_role()
    turns: list[Turn] = []
    for raw, label, section in zip(result.turns, labels, sections, strict=True):
        person = people.by_name[label]
        turns.append(
            Turn(
                index=len(turns),
                speaker=person.name,
                role=person.role,
                affiliation=person.affiliation,
                section=section,
                text=raw.text,
                line_start=raw.start,
                line_end=raw.end,
                placeholder=_is_placeholder(raw.text),
            )
        )
    by_display = {p.name: p for p in people.by_name.values()}
    _fold_interpretation(turns, by_display)
    warnings = list(result.warnings)
    participants = people.participants(turns)
    exchanges = build_exchanges(turns, by_display)
    if not any(t.section == "qa" for t in turns):
        warnings.append("no Q&A section found: the transcript may be truncated")
    elif not exchanges:
        warnings.append("Q&A section holds no analyst questions")
    if not any(p.role == "ceo" for p in participants):
        warnings.append("no CEO identified")
    return Transcript(
        source=decoded.source,
        layout=result.layout,
        title=title,
        company=company,
        fiscal_period=period,
        call_date=call_date,
        participants=participants,
        turns=turns,
        remarks=group_remarks(turns),
        exchanges=exchanges,
        warnings=warnings,
        source_lines=list(lines),
    )


# --- people ----------------------------------------------------------------------------


class _People:
    """The participants, keyed by the name turns use, with roles settled step by step."""

    def __init__(self, listed: Sequence[Listed], company: str | None) -> None:
        self.by_name: dict[str, Participant] = {}
        self.group: dict[str, str | None] = {}
        self._resolved: dict[str, str] = {}
        self.company = company
        company_affs = Counter(
            e.affiliation for e in listed if e.group == "company" and e.affiliation
        )
        if company_affs and not self.company:
            self.company = clean_company(company_affs.most_common(1)[0][0])
        self._company_aff = company_affs.most_common(1)[0][0] if company_affs else None
        for entry in listed:
            if entry.name in self.by_name:
                continue
            self._add(entry.name, entry.affiliation, entry.title, entry.group)

    def _add(self, name: str, aff: str | None, title: str | None, group: str | None) -> str:
        role: Role
        if is_operator_name(name):
            name, role = "Operator", "operator"
        elif is_non_person(name):
            low = name.lower()
            role = "analyst" if "analyst" in low else "unknown"
        elif group == "call":
            role = "analyst"
        else:
            stated = role_from_title(title)
            sell_side = (
                group != "company"
                and stated in (None, "executive")
                and aff is not None
                and looks_like_analyst_affiliation(aff)
                and not self._is_company(aff)
            )
            # "Director" at "BofA Merrill Lynch, Research Division" is an analyst
            role = "analyst" if sell_side else stated or self._role_from_affiliation(aff, group)
        if name not in self.by_name:
            self.by_name[name] = Participant(name=name, affiliation=aff, title=title, role=role)
            self.group[name] = group
        return name

    def _role_from_affiliation(self, aff: str | None, group: str | None) -> Role:
        if group == "company":
            return "executive"
        if aff and self._is_company(aff):
            return "executive"
        if aff and looks_like_analyst_affiliation(aff):
            return "analyst"
        if aff:
            return "analyst"
        return "unknown"

    def _is_company(self, aff: str) -> bool:
        if self._company_aff and aff.strip() == self._company_aff.strip():
            return True
        if self.company:
            ours = set(name_tokens(self.company))
            return bool(ours) and ours <= set(name_tokens(aff))
        return False

    def resolve(self, raw: RawTurn) -> str:
        """The participant key for a raw turn, creating the participant if unseen."""
        label = " ".join(raw.label.split())
        known = self._resolved.get(label)
        if known is not None:
            person = self.by_name[known]
            if raw.title and not person.title:
                self._update(known, title=raw.title)
            if raw.affiliation and not person.affiliation:
                self._update(known, affiliation=raw.affiliation)
            return known
        key = self._resolve(label, raw)
        self._resolved[label] = key
        return key

    def _resolve(self, label: str, raw: RawTurn) -> str:
        if is_operator_name(label):
            return self._add("Operator", None, None, None)
        if label in self.by_name:
            person = self.by_name[label]
            if raw.title and not person.title:
                self._update(label, title=raw.title)
            if raw.affiliation and not person.affiliation:
                self._update(label, affiliation=raw.affiliation)
            return label
        if not is_non_person(label) and not raw.speaker_id:
            match = best_match(label, [n for n in self.by_name if not is_non_person(n)], minimum=3)
            if match is not None:
                return match
        return self._add(label, raw.affiliation, raw.title, None)

    def _update(self, key: str, **changes: object) -> None:
        person = self.by_name[key]
        data = person.model_dump()
        data.update(changes)
        if "title" in changes and person.role in {"unknown", "executive"}:
            title = changes["title"]
            new_role = role_from_title(title if isinstance(title, str) else None)
            if new_role is not None and self.group.get(key) != "call":
                data["role"] = new_role
        self.by_name[key] = Participant(**data)

    def set_role(self, key: str, role: Role, *, force: bool = False) -> None:
        person = self.by_name[key]
        if force or person.role in {"unknown", "executive"}:
            self.by_name[key] = person.model_copy(update={"role": role})

    def rename(self, key: str, name: str, role: Role | None, aff: str | None = None) -> None:
        person = self.by_name[key]
        update: dict[str, object] = {"name": name}
        if role is not None and person.role in {"unknown", "executive"}:
            update["role"] = role
        if aff and not person.affiliation:
            update["affiliation"] = aff
        self.by_name[key] = person.model_copy(update=update)

    def apply_speech_roles(self, raws: Sequence[RawTurn], labels: Sequence[str]) -> None:
        """Roles from what is said: introductions, hand-overs, the operator's intros."""
        names = [k for k in self.by_name if not is_non_person(k) and k != "Operator"]
        display = {k: self.by_name[k].name for k in names}
        for raw, label in zip(raws, labels, strict=True):
            speaker = self.by_name[label]
            if speaker.role == "analyst":
                continue
            for mention in role_mentions(raw.text):
                key = _match_key(mention.name, display)
                if key is None:
                    continue
                person = self.by_name[key]
                # a stated title wins over speech, unless it said nothing precise
                open_to_speech = not person.title or person.role in {"unknown", "executive"}
                if (
                    person.role not in {"operator", "analyst"}
                    and open_to_speech
                    and stronger_role(person.role, mention.role)
                ):
                    self.set_role(key, mention.role, force=True)
        for i, (raw, label) in enumerate(zip(raws, labels, strict=True)):
            if self.by_name[label].role == "operator" or is_non_person(label):
                intro = parse_intro(raw.text)
                if intro and i + 1 < len(labels):
                    nxt = labels[i + 1]
                    if (
                        self.by_name[nxt].role == "unknown"
                        and name_match_score(intro[0], self.by_name[nxt].name) >= 1
                    ):
                        self.set_role(nxt, "analyst")
                        if intro[1] and not self.by_name[nxt].affiliation:
                            self.rename(nxt, self.by_name[nxt].name, None, intro[1])
            name, role = handover_target(raw.text)
            if role is None or role == "operator":
                continue
            key = _match_key(name, display) if name else None
            if key is None and i + 1 < len(labels) and labels[i + 1] != label:
                key = labels[i + 1]  # "over to our CFO": whoever speaks next
            if key is not None and self.by_name[key].role not in {"operator", "analyst"}:
                self.set_role(key, role)
        self._ir_by_behaviour(raws, labels)

    def _ir_by_behaviour(self, raws: Sequence[RawTurn], labels: Sequence[str]) -> None:
        """The first company voice that reads the safe harbor and hands over is IR."""
        if any(p.role == "ir" for p in self.by_name.values()):
            return
        for raw, label in list(zip(raws, labels, strict=True))[:4]:
            person = self.by_name[label]
            if person.role in {"operator", "analyst"} or is_non_person(label):
                continue
            low = raw.text.lower()
            housekeeping = (
                "forward-looking" in low or "forward looking" in low or "safe harbor" in low
            )
            if housekeeping and person.role in {"unknown", "executive"} and len(low.split()) < 700:
                self.set_role(label, "ir")
            return

    def settle_unknown(self, labels: Sequence[str], sections: Sequence[Section]) -> None:
        """Speakers nothing names: company side if they present, analysts if the operator
        hands them the line in the Q&A."""
        for key, person in list(self.by_name.items()):
            if person.role != "unknown" or is_non_person(key):
                continue
            spans = [i for i, label in enumerate(labels) if label == key]
            if not spans:
                continue
            if any(sections[i] == "presentation" for i in spans):
                self.set_role(key, "executive")
                continue
            first = spans[0]
            if first > 0 and self.by_name[labels[first - 1]].role == "operator":
                self.set_role(key, "analyst")

    def one_per_top_role(self) -> None:
        """Several CEOs (or CFOs) by title: a divisional one ("CEO of Cloud") is an executive."""
        for role in ("ceo", "cfo"):
            holders = [k for k, p in self.by_name.items() if p.role == role]
            plain = [k for k in holders if not divisional(self.by_name[k].title)]
            if len(holders) > 1 and plain:
                for key in holders:
                    if key not in plain:
                        self.set_role(key, "executive", force=True)

    def participants(self, turns: Sequence[Turn]) -> list[Participant]:
        spoken = {t.speaker for t in turns}
        out: list[Participant] = []
        seen: set[str] = set()
        for person in self.by_name.values():
            if person.name in seen:
                continue
            if person.name not in spoken and is_non_person(person.name):
                continue
            seen.add(person.name)
            out.append(person)
        return out


def _match_key(name: str, display: dict[str, str]) -> str | None:
    inverse = {v: k for k, v in display.items()}
    hit = best_match(name, list(display.values()), minimum=2)
    return inverse.get(hit) if hit is not None else None


def _name_asr_speakers(raws: Sequence[RawTurn], labels: list[str], people: _People) -> None:
    """Name numbered speakers from the operator's intros, hand-overs and thank-yous."""
    ids = list(dict.fromkeys(labels))
    operator = _find_operator(raws, labels)
    if operator is not None:
        people.rename(operator, "Operator", None)
        people.set_role(operator, "operator", force=True)
    mentions = []
    for raw in raws[:8]:
        mentions.extend(role_mentions(raw.text))
    roster: dict[str, Role] = {}
    for mention in mentions:
        roster.setdefault(mention.name, mention.role)
    votes: dict[str, Counter[str]] = {k: Counter() for k in ids}
    firms: dict[str, str | None] = {}
    roles: dict[str, Role] = {}
    for i, (raw, label) in enumerate(zip(raws, labels, strict=True)):
        nxt = labels[i + 1] if i + 1 < len(labels) else None
        if nxt is not None and nxt != label and nxt != operator:
            if label == operator:
                intro = parse_intro(raw.text)
                if intro is not None:
                    votes[nxt][intro[0]] += 3
                    firms.setdefault(nxt, intro[1])
                    roles.setdefault(nxt, "analyst")
            name, role = handover_target(raw.text)
            if name and role != "operator":
                votes[nxt][name] += 2
            if role is not None and role != "operator":
                roles.setdefault(nxt, role)
        if i > 0 and labels[i - 1] != label and labels[i - 1] != operator:
            thanked = thanked_name(raw.text)
            if thanked:
                votes[labels[i - 1]][thanked] += 1
        if label != operator:
            own, own_role = self_introduction(raw.text)
            if own:
                votes[label][own] += 3
            if own_role is not None:
                roles.setdefault(label, own_role)
    taken: set[str] = set()
    named: set[str] = set()
    for key in ids:
        if key == operator or not votes[key]:
            continue
        name = _consolidate(votes[key])
        full = best_match(name, list(roster), minimum=1) if len(name.split()) < 2 else None
        if full is None:
            full = best_match(name, list(roster), minimum=2)
        final = full or name
        if final in taken:
            continue
        taken.add(final)
        named.add(key)
        role = roles.get(key) or (roster.get(full) if full else None)
        people.rename(key, final, role, firms.get(key))
    _name_presenters_in_order(raws, labels, people, operator, named, roster, taken, roles)


def _name_presenters_in_order(
    raws: Sequence[RawTurn],
    labels: Sequence[str],
    people: _People,
    operator: str | None,
    named: set[str],
    roster: dict[str, Role],
    taken: set[str],
    roles: dict[str, Role],
) -> None:
    """Executives introduced by name ("joining me are our CEO, Ann Lee, and our CFO, ...")
    whom nothing else ties to a speaker take the unnamed presenters in order of speaking."""
    first_intro = next(
        (
            i
            for i, (r, lab) in enumerate(zip(raws, labels, strict=True))
            if lab == operator and i > 0 and parse_intro(r.text)
        ),
        len(raws),
    )
    presenters: list[str] = []
    for i, label in enumerate(labels[:first_intro]):
        if label == operator or label in named or label in presenters:
            continue
        if i < 3 and _reads_housekeeping(raws[i].text) and label not in roles:
            continue  # the IR host who introduces the others
        presenters.append(label)
    remaining = [name for name in roster if not any(name_match_score(name, t) >= 2 for t in taken)]
    if not presenters or len(presenters) > len(remaining):
        for label in presenters:
            if label in roles:
                people.set_role(label, roles[label])
        return
    for label, name in zip(presenters, remaining, strict=False):
        people.rename(label, name, roles.get(label) or roster[name])


def _reads_housekeeping(text: str) -> bool:
    low = text.lower()
    return any(
        k in low for k in ("forward-looking", "forward looking", "safe harbor", "joining me")
    )


def _consolidate(votes: Counter[str]) -> str:
    """The name with most votes; a longer spelling of the same name wins a tie."""
    ranked = votes.most_common()
    best, score = ranked[0]
    for name, count in ranked[1:]:
        if name_match_score(name, best) >= 2 and len(name) > len(best):
            best, score = name, score + count
    return best


def _find_operator(raws: Sequence[RawTurn], labels: Sequence[str]) -> str | None:
    scores: Counter[str] = Counter()
    for i, (raw, label) in enumerate(zip(raws, labels, strict=True)):
        low = raw.text.lower()
        if parse_intro(raw.text) is not None:
            scores[label] += 3
        if re.search(r"(?:next|first|last|final) question|disconnect|for your participation", low):
            scores[label] += 1
        if re.search(
            r"press (?:the )?(?:star|\*)|star key|\* ?1\b|listen[- ]only|standing by"
            r"|conference (?:call )?(?:is being )?recorded|operator instructions",
            low,
        ):
            scores[label] += 2
        if i == 0 and re.search(r"welcome|good (?:morning|afternoon|evening|day)", low):
            scores[label] += 1
    if not scores:
        return None
    label, score = scores.most_common(1)[0]
    return label if score >= 3 else None


# --- sections ---------------------------------------------------------------------------

_QA_OPEN = re.compile(
    r"(?:first|next) question|question[- ]and[- ]answer|q\s*&\s*a"
    r"|open (?:it |the (?:call|line|lines|floor) )?(?:up )?(?:for|to) (?:your )?questions"
    r"|take (?:your |some )?questions|questions? (?:comes?|is) from",
    re.I,
)


def _sections(result: LayoutResult, labels: Sequence[str], people: _People) -> list[Section]:
    raws = result.turns
    if result.qa_marked:
        out: list[Section] = []
        current: Section = "presentation"
        for raw in raws:
            if raw.section is not None:
                current = raw.section
            out.append(current)
        return out
    start = len(raws)
    seen_speaker = False
    for i, (raw, label) in enumerate(zip(raws, labels, strict=True)):
        role = people.by_name[label].role
        if role == "analyst" and seen_speaker:
            start = i
            break
        opens_qa = parse_intro(raw.text) is not None or _QA_OPEN.search(raw.text) is not None
        if role == "operator" and seen_speaker and opens_qa:
            start = i
            break
        if role not in {"operator"} and not is_non_person(label):
            seen_speaker = True
    return ["presentation" if i < start else "qa" for i in range(len(raws))]


# --- interpretation ---------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"[(\[]\s*(?:(?:spoken|speaking|speaks|speech|answer(?:ed)?|question)\s+in\s+"
    r"(?:a\s+)?(?:foreign\s+language|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
    r"|foreign\s+language(?:\s+\w+)?|non-english|interpreted|through\s+(?:an\s+)?interpreter"
    r"|no\s+english\s+translation)\s*[)\]]\.?",
    re.I,
)


def _is_placeholder(text: str) -> bool:
    """A turn that only says it was spoken in another language carries no content."""
    return bool(_PLACEHOLDER.search(text)) and not _PLACEHOLDER.sub("", text).strip(" .\n")


def _fold_interpretation(turns: list[Turn], people: dict[str, Participant]) -> None:
    """Attribute a translation to the executive (or analyst) whose placeholder it follows."""
    for i in range(1, len(turns)):
        prev, turn = turns[i - 1], turns[i]
        if not prev.placeholder or turn.placeholder or turn.speaker == prev.speaker:
            continue
        interpreter = turn.speaker.lower() in {"interpreter", "translator"} or (
            "interpret" in (people[turn.speaker].title or "").lower()
            if turn.speaker in people
            else False
        )
        company_pair = prev.role in EXECUTIVE_ROLES and turn.role in EXECUTIVE_ROLES
        if not (interpreter or company_pair):
            continue
        turns[i] = turn.model_copy(
            update={
                "speaker": prev.speaker,
                "role": prev.role,
                "affiliation": prev.affiliation,
                "via": turn.speaker,
            }
        )


# --- title, company, period, date -------------------------------------------------------

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
_TITLE_HINT = re.compile(r"earnings|results|conference call|quarter|\bQ[1-4]\b", re.I)


def _metadata(
    lines: Sequence[str], result: LayoutResult
) -> tuple[str | None, str | None, str | None, date | None]:
    first_turn = result.turns[0].start if result.turns else 1
    header = [line.strip() for line in lines[: max(0, first_turn - 1)] if line.strip()]
    header = header[:60]
    title = next((h for h in header if _TITLE_HINT.search(h) and len(h) < 160), None)
    body_head = " ".join(t.text for t in result.turns[:4])[:6000]
    company = _company_from(title, body_head)
    period = _period(title or "", body_head)
    call_date = _find_date(" \n".join(header)) or _find_date(body_head[:600])
    return title, company, period, call_date


def _company_from(title: str | None, body: str) -> str | None:
    if title:
        t = re.sub(
            r"\b(?:Q[1-4]|[1-4]Q|FY|H[12])\s*'?\d{2,4}\b|\b(?:19|20)\d\d\s*Q[1-4]\b", " ", title
        )
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
            if t.isupper() and len(t) > 5:
                t = t.title()
            return clean_company(t)
    m = re.search(
        r"(?i:welcome)\s+(?:everyone\s+|all\s+)?to\s+(?:the\s+)?(?P<c>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4}?)"
        r"(?:'s|’s)?\s+(?:\d{4}\s+)?(?:Q[1-4]|first|second|third|fourth|fiscal|full|\d{4}|earnings"
        r"|financial|quarterly)",
        body,
    )
    if m:
        return clean_company(m.group("c"))
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
