"""The segments the summarizer reads: prepared remarks by role, Q&A exchanges by analyst.

An exchange is one analyst's turn at the microphone: the question, any follow-ups by the
same analyst, and every answer until the operator (or another analyst) takes over.
Executives who come back to an earlier question before the next analyst speaks ("I missed
C.J.'s second question") still answer the earlier exchange, and an analyst whom the operator
brings back "with a follow-up" continues the exchange they opened before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.transcript.model import (
    EXECUTIVE_ROLES,
    Exchange,
    Participant,
    Remarks,
    RemarksGroup,
    Turn,
)
from briefing.transcript.roles import (
    clean_firm,
    is_non_person,
    name_match_score,
    parse_intro,
)

_CLOSING = re.compile(
    r"no further questions|no more questions|(?:end|conclusion) of (?:the |today's |our )?"
    r"(?:question|q\s*&\s*a)|concludes? (?:the |today's |our |this )?(?:question|q\s*&\s*a)"
    r"|closing (?:remarks|comments)|turn (?:the )?(?:call|conference|floor) back"
    r"|hand (?:it |the call )?back"
    r"|this concludes|that concludes|does conclude|you may (?:now )?disconnect",
    re.I,
)


def group_remarks(turns: Sequence[Turn]) -> list[Remarks]:
    """Prepared remarks (presentation only) by CEO, CFO and other executives.

    The operator, IR housekeeping (safe harbor, introductions) and analysts are left out.
    """
    groups: dict[RemarksGroup, list[Turn]] = {"ceo": [], "cfo": [], "other": []}
    for turn in turns:
        if turn.section != "presentation" or turn.placeholder:
            continue
        if turn.role in {"operator", "analyst", "ir"}:
            continue
        if turn.role == "unknown" and is_non_person(turn.speaker):
            continue
        key: RemarksGroup = (
            "ceo" if turn.role == "ceo" else "cfo" if turn.role == "cfo" else "other"
        )
        groups[key].append(turn)
    out: list[Remarks] = []
    for key, group_turns in groups.items():
        if not group_turns:
            continue
        speakers = list(dict.fromkeys(t.speaker for t in group_turns))
        out.append(Remarks(group=key, speakers=speakers, turns=group_turns))
    return out


@dataclass
class _Open:
    name: str
    firm: str | None
    questions: list[Turn] = field(default_factory=list)
    answers: list[Turn] = field(default_factory=list)


def is_analyst_turn(turn: Turn, *, after_intro: bool, asking_slot: bool) -> bool:
    """An analyst speaking: by role, or an unnamed voice ("Unidentified Participant") that
    the operator just handed the line to, or that asks while the asker's slot is open (no
    exchange running, or the same voice asked last). An unnamed voice answering ("does that
    answer your question?") stays on the company side."""
    if turn.role == "analyst":
        return True
    if turn.role != "unknown" or not is_non_person(turn.speaker) or is_company_turn(turn):
        return False
    low = turn.speaker.lower()
    if "analyst" in low or "audience" in low:
        return True
    unnamed = low.startswith(("unidentified", "unknown"))
    return unnamed and (after_intro or (asking_slot and "?" in turn.text))


def is_company_turn(turn: Turn) -> bool:
    return turn.role in EXECUTIVE_ROLES or (
        turn.role == "unknown" and "company" in turn.speaker.lower()
    )


def moderator_intro(turn: Turn) -> tuple[str, str | None] | None:
    """The analyst a short operator-like turn introduces (operator, or IR moderating)."""
    if turn.role == "operator":
        return parse_intro(turn.text)
    words = len(turn.text.split())
    if turn.role in EXECUTIVE_ROLES and words <= 80:
        # An executive's answer may open "Sure, Meera."; only a turn that says little else
        # is read in the terse "Name, Firm." form.
        return parse_intro(turn.text, bare=words <= 12)
    return None


def build_exchanges(turns: Sequence[Turn], people: dict[str, Participant]) -> list[Exchange]:
    """Q&A turns -> one exchange per analyst question (follow-ups included)."""
    done: list[_Open] = []
    current: _Open | None = None
    pending: tuple[str, str | None] | None = None
    requeued = False  # the operator said the next analyst is back with a follow-up
    closed = False

    def finish() -> None:
        nonlocal current
        if current is not None and current.questions and all(d is not current for d in done):
            done.append(current)
        current = None

    for turn in turns:
        if turn.section != "qa":
            continue
        intro = moderator_intro(turn)
        if turn.role == "operator" or (intro is not None and turn.role != "analyst"):
            # An operator line ends the exchange once it has been answered, or when it
            # introduces somebody else; an interjection before any answer does not.
            reintroduced = (
                intro is not None
                and current is not None
                and not current.answers
                and name_match_score(intro[0], current.name) >= 2
            )
            if current is not None and (current.answers or intro is not None) and not reintroduced:
                finish()
            if intro is not None:
                pending = intro
                requeued = _FOLLOW_UP.search(turn.text) is not None
                closed = False
            elif _CLOSING.search(turn.text):
                closed = True
                pending = None
            continue
        asking_slot = current is None or current.questions[-1].speaker == turn.speaker
        if is_analyst_turn(turn, after_intro=pending is not None, asking_slot=asking_slot):
            closed = False
            name, firm = _analyst_identity(turn, people, pending)
            same_voice = current is not None and (
                name_match_score(current.name, name) >= 2
                or (pending is None and current.questions[-1].speaker == turn.speaker)
            )
            if (
                current is not None
                and same_voice
                and not (
                    pending is not None
                    and current.answers
                    and name_match_score(pending[0], name) >= 2
                )
            ):
                current.questions.append(turn)
            else:
                finish()
                earlier = _earlier_exchange(done, name) if requeued else None
                if earlier is not None:
                    earlier.questions.append(turn)  # back through the queue: same exchange
                    current = earlier
                else:
                    current = _Open(name, firm, [turn])
            pending = None
            requeued = False
            continue
        if turn.speaker.lower() == "editor":
            continue  # the transcript editor's notes answer nobody
        # an executive (or an unknown company voice) speaking
        if closed:
            continue
        if current is not None:
            current.answers.append(turn)
        elif done:
            done[-1].answers.append(turn)
    finish()
    exchanges: list[Exchange] = []
    for number, ex in enumerate(done, start=1):
        answered = list(dict.fromkeys(t.speaker for t in ex.answers if not t.placeholder))
        vias = [t.via for t in ex.answers if t.via]
        exchanges.append(
            Exchange(
                index=number,
                name=ex.name,
                firm=ex.firm,
                questions=ex.questions,
                answers=ex.answers,
                answered_by=answered,
                via=vias[0] if vias else None,
            )
        )
    return exchanges


_FOLLOW_UP = re.compile(r"\bfollow[- ]?up\b|\bback (?:to|with|from)\b|\bre-?queued?\b", re.I)


def _earlier_exchange(done: Sequence[_Open], name: str) -> _Open | None:
    """The exchange an analyst opened earlier, for a follow-up asked from the queue again."""
    return next((d for d in reversed(done) if name_match_score(d.name, name) >= 2), None)


def _analyst_identity(
    turn: Turn, people: dict[str, Participant], pending: tuple[str, str | None] | None
) -> tuple[str, str | None]:
    person = people.get(turn.speaker)
    name = turn.speaker
    firm = clean_firm(person.affiliation if person else turn.affiliation)
    if pending is not None:
        generic = is_non_person(name) or name.lower().startswith("speaker ")
        if generic:
            name = pending[0]
        if firm is None and (generic or name_match_score(pending[0], name) >= 1):
            firm = pending[1]
    return name, firm
