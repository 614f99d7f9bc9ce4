"""Who speaks: participants keyed by the name turns use, with roles settled step by step.

Titles speak first (``roles.role_from_title``); where they are missing, what is said fills
in (introductions, hand-overs, the operator's intros), then behaviour (presenters are the
company side, whoever the operator hands the line to is an analyst). Speech-recognition
transcripts name nobody: ``name_asr_speakers`` recovers names from the same clues.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefing.transcript.layouts import Listed, RawTurn
from briefing.transcript.model import Participant, Role, Section, Turn
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


class People:
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
        """No usable title: the company's people are executives, anyone else's analysts."""
        if group == "company" or (aff and self._is_company(aff)):
            return "executive"
        return "analyst" if aff else "unknown"

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


def name_asr_speakers(raws: Sequence[RawTurn], labels: list[str], people: People) -> None:
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
    people: People,
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
