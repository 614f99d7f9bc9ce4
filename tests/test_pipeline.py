"""The pipeline: concurrent sections, grounding, fallback, one-page trimming, batches."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transcript_builder import SCRIPT, build_transcript

from briefing.engines.base import SectionDigest
from briefing.engines.offline import OfflineEngine
from briefing.errors import EngineError, InputError
from briefing.grounding import missing_numbers
from briefing.pipeline import (
    build_briefing,
    failure_in_words,
    generate_batch,
    generate_briefing,
)
from briefing.render import render_markdown
from briefing.schemas import (
    ExchangeOutput,
    GuidanceOutput,
    KeyFigure,
    RemarksOutput,
    TldrOutput,
    Usage,
)
from briefing.transcript.model import Exchange, Remarks, Transcript
from briefing.transcript.reader import parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "generate"


class SlowEngine(OfflineEngine):
    """The offline engine behind a delay, counting how many sections are in flight."""

    name = "slow"

    def __init__(self, delay: float = 0.2, fail_exchange: int | None = None) -> None:
        super().__init__()
        self.delay = delay
        self.fail_exchange = fail_exchange
        self.in_flight = 0
        self.max_in_flight = 0

    async def _wait(self) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(self.delay)
        self.in_flight -= 1

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        await self._wait()
        return self.remarks_sync(transcript, remarks)

    async def exchange(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        await self._wait()
        if exchange.index == self.fail_exchange:
            raise EngineError("endpoint kept answering 500", attempts=3, tokens=120)
        return self.exchange_sync(transcript, exchange)

    async def guidance(self, transcript: Transcript) -> GuidanceOutput:
        await self._wait()
        return self.guidance_sync(transcript)

    async def tldr(self, transcript: Transcript, sections: SectionDigest) -> TldrOutput:
        return self.tldr_sync(transcript, sections)

    def usage(self, transcript: Transcript | None = None) -> Usage:
        return Usage(engine=self.name, model="slow-1", calls=5)


class InventingEngine(OfflineEngine):
    """Returns a figure the call never stated, next to a true one."""

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        out = self.remarks_sync(transcript, remarks)
        fake = KeyFigure(
            metric="Revenue",
            value="$3.10 billion",
            comparison="up 40% YoY",
            gaap=None,
            speaker=None,
            quote="Revenue increased by 40% year over year to $3.10 billion.",
            computed=False,
            line_start=None,
            line_end=None,
        )
        return out.model_copy(update={"figures": [*out.figures, fake]})


def test_offline_briefing_is_grounded_and_fits_one_page() -> None:
    t = build_transcript()
    b = generate_briefing(t, OfflineEngine())
    assert b.header.company == "Harbor Lights" and b.usage.engine == "offline"
    assert [q.analyst for q in b.qa] == ["Ravi Nair", "Jo Park"]
    assert b.qa[1].non_answer
    assert {f.metric for f in b.figures} >= {"Revenue", "GAAP gross margin", "Non-GAAP EPS"}
    for f in b.figures:
        assert f.line_start is not None and f.line_end is not None
        assert missing_numbers(f"{f.metric} {f.value} {f.comparison or ''}", f.quote) == []
        assert f.quote in t.lines_text(f.line_start, f.line_end)
    for g in b.guidance:
        assert missing_numbers(f"{g.metric} {g.text}", g.quote) == []
    kinds = {n.kind for n in b.notable}
    assert {"acquisition", "discontinued", "capital_return"} <= kinds
    assert b.tldr and b.warnings == []
    assert len(render_markdown(b).split()) <= 800


def test_sections_run_concurrently() -> None:
    engine = SlowEngine(delay=0.2)
    started = time.perf_counter()
    b = generate_briefing(build_transcript(), engine)
    elapsed = time.perf_counter() - started
    # Two remarks groups, two exchanges and the guidance pass: five calls of 0.2 s each.
    assert engine.max_in_flight == 5
    assert elapsed < 0.8
    assert b.usage.calls == 5 and b.usage.model == "slow-1"


def test_failed_section_falls_back_to_offline_with_a_warning() -> None:
    b = generate_briefing(build_transcript(), SlowEngine(delay=0, fail_exchange=2))
    assert [q.analyst for q in b.qa] == ["Ravi Nair", "Jo Park"]
    fallbacks = [w for w in b.warnings if w.kind == "fallback"]
    assert len(fallbacks) == 1
    assert "Q&A with Jo Park" in fallbacks[0].message
    assert "offline" in fallbacks[0].message
    # The error's "500" is not in the transcript: the warning says what failed in words.
    assert not any(c.isdigit() for c in fallbacks[0].message)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("guidance: endpoint failed after 3 attempt(s): HTTP 503", "server error"),
        ("endpoint unavailable: HTTP 500; not retried again", "server error"),
        ("tldr: endpoint error: HTTP 429", "rate limit"),
        ("endpoint failed after 2 attempt(s): request timed out", "timing out"),
        ("endpoint error: connection failed (ConnectError)", "could not be reached"),
        ("q1: output still invalid after 3 answer(s): item 4 ...", "stayed invalid"),
        ("remarks: the model refused: I cannot help with 42 things", "refused"),
        ("something odd 12", "the engine failed"),
    ],
)
def test_fallback_reason_is_in_words_without_the_errors_numbers(error: str, words: str) -> None:
    said = failure_in_words(EngineError(error))
    assert words in said
    assert not any(c.isdigit() for c in said)


def test_ungrounded_engine_output_never_reaches_the_page() -> None:
    b = generate_briefing(build_transcript(), InventingEngine())
    assert all("3.10" not in f.value for f in b.figures)
    assert "3.10" not in render_markdown(b)
    assert any(w.kind == "ungrounded" and "Revenue" in w.message for w in b.warnings)


def test_page_is_trimmed_to_the_word_budget() -> None:
    t = build_transcript()
    full = generate_briefing(t, OfflineEngine())
    tight = asyncio.run(build_briefing(t, OfflineEngine(), max_words=200))
    assert len(render_markdown(tight).split()) <= 200
    assert len(render_markdown(full).split()) > 200
    # Figures are the last to go: the headline one survives.
    assert tight.figures and tight.figures[0].metric == "Revenue"


def test_transcript_ending_with_a_question_is_flagged_truncated() -> None:
    t = build_transcript(SCRIPT[:-1])
    b = generate_briefing(t, OfflineEngine())
    truncated = [w for w in b.warnings if w.kind == "truncated"]
    assert len(truncated) == 1 and truncated[0].lines


def test_parser_warnings_are_carried() -> None:
    t = build_transcript().model_copy(update={"warnings": ["the transcript looks truncated"]})
    b = generate_briefing(t, OfflineEngine())
    assert [w.kind for w in b.warnings] == ["truncated"]


def test_batch_writes_each_result_and_survives_a_bad_file(tmp_path: Path) -> None:
    good = FIXTURES / "harbor-lights-2026q3.txt"
    other = tmp_path / "second-call.txt"
    other.write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    missing = tmp_path / "missing.txt"
    seen: list[str] = []
    results = asyncio.run(
        generate_batch(
            [good, missing, other],
            OfflineEngine(),
            render=render_markdown,
            fmt="md",
            output=tmp_path / "out",
            on_done=lambda r: seen.append(r.source.name),
        )
    )
    assert sorted(seen) == ["harbor-lights-2026q3.txt", "missing.txt", "second-call.txt"]
    ok = [r for r in results if r.error is None]
    assert [r.output.name for r in ok if r.output] == [
        "harbor-lights-2026q3.md",
        "second-call.md",
    ]
    bad = next(r for r in results if r.error is not None)
    assert isinstance(bad.error, InputError) and "missing.txt" in str(bad.error)
    assert (tmp_path / "out" / "harbor-lights-2026q3.md").read_text().startswith("# Harbor")
    assert ok[0].source_hash is not None and len(ok[0].source_hash) == 64


def test_batch_of_several_needs_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    target.write_text("already here")
    good = FIXTURES / "harbor-lights-2026q3.txt"
    with pytest.raises(InputError, match="must be a folder"):
        asyncio.run(
            generate_batch([good, good], OfflineEngine(), render=render_markdown, output=target)
        )


def test_one_input_writes_the_named_file(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "b.md"
    (result,) = asyncio.run(
        generate_batch(
            [FIXTURES / "harbor-lights-2026q3.txt"],
            OfflineEngine(),
            render=render_markdown,
            output=target,
        )
    )
    assert result.output == target and target.read_text() == result.text


_WORDS = st.sampled_from(
    [
        "revenue",
        "was",
        "up",
        "down",
        "year",
        "over",
        "we",
        "expect",
        "margin",
        "the",
        "quarter",
        "to",
        "of",
        "and",
        "net",
        "income",
        "guidance",
        "for",
        "fourth",
        "acquisition",
        "dividend",
        "compared",
        "with",
        "a",
        "ago",
        "billion",
        "million",
        "%",
        "bps",
        "$",
        "RMB",
        "sequentially",
        "?",
        ".",
        ",",
        "Mr.",
        "Acme",
        "resigned",
    ]
)
_TOKENS = st.one_of(_WORDS, st.decimals(0, 5000, places=2).map(str), st.integers(0, 99).map(str))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(_TOKENS, min_size=3, max_size=40).map(" ".join), min_size=4, max_size=4))
def test_any_text_gives_a_grounded_page(texts: list[str]) -> None:
    script = [
        ("presentation", "Mia Torres", texts[0]),
        ("presentation", "Owen Blake", texts[1]),
        ("qa", "Ravi Nair", texts[2]),
        ("qa", "Owen Blake", texts[3]),
    ]
    t = build_transcript(script)
    b = generate_briefing(t, OfflineEngine())
    for f in b.figures:
        assert f.line_start is not None
        assert missing_numbers(f"{f.metric} {f.value} {f.comparison or ''}", f.quote) == []
    for g in b.guidance:
        assert missing_numbers(f"{g.metric} {g.text}", g.quote) == []
    for n in b.notable:
        assert missing_numbers(n.text, n.quote) == []
    assert len(render_markdown(b).split()) <= 800


def test_a_transcript_without_remarks_groups_still_gets_figures() -> None:
    t = build_transcript()
    bare = t.model_copy(
        update={
            "remarks": [],
            "turns": [turn.model_copy(update={"role": "unknown"}) for turn in t.turns],
        }
    )
    b = generate_briefing(bare, OfflineEngine())
    assert {"Revenue", "GAAP gross margin"} <= {f.metric for f in b.figures}
    assert any(g.metric == "Revenue" for g in b.guidance)


class ParaphrasingEngine(OfflineEngine):
    """Answers in its own words with a quote the call never contains."""

    async def exchange(self, transcript: Transcript, exchange: Exchange) -> ExchangeOutput:
        out = self.exchange_sync(transcript, exchange)
        return out.model_copy(
            update={"answer": "Management sounded upbeat", "answer_quote": "We feel great."}
        )


def test_unverifiable_answer_is_replaced_by_the_extractive_gist() -> None:
    b = generate_briefing(build_transcript(), ParaphrasingEngine())
    assert "18% to 20%" in b.qa[0].answer
    assert all("upbeat" not in q.answer for q in b.qa)
    assert any(w.kind == "ungrounded" and "Ravi Nair" in w.message for w in b.warnings)


def test_header_names_analysts_firms_as_a_reader_does() -> None:
    t = parse_transcript(Path(__file__).parent / "fixtures" / "transcripts" / "streetevents.txt")
    b = generate_briefing(t, OfflineEngine())
    firms = {a.name: a.affiliation for a in b.header.analysts}
    assert firms["Grace Liu"] == "Kestrel Partners"
    assert firms["Henry Stone"] == "Ashgrove Securities"


def test_a_crowded_page_keeps_a_ceo_bullet() -> None:
    # The Northwind example fills the page; the CEO's remarks still get a line.
    t = parse_transcript(
        Path(__file__).parent.parent / "examples" / "northwind-robotics-2026q3.txt"
    )
    b = generate_briefing(t, OfflineEngine())
    assert len(render_markdown(b).split()) <= 800
    assert len(b.ceo_remarks) >= 1


def test_a_sentence_split_into_guidance_items_is_not_also_a_figure() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the Harbor Lights third quarter 2026 call."),
        (
            "presentation",
            "Owen Blake",
            "Revenue was $2.48 billion, up 12% year over year. For the fourth quarter, that "
            "implies revenue in a range of $2.55 billion to $2.65 billion and adjusted EPS of "
            "$1.10 to $1.20.",
        ),
    ]
    b = generate_briefing(build_transcript(script), OfflineEngine())
    assert any("$1.10 to $1.20" in g.text for g in b.guidance)
    assert not any("$1.10" in f.value for f in b.figures)


def test_guidance_restated_by_the_cfo_is_one_item() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the Harbor Lights third quarter 2026 call."),
        (
            "presentation",
            "Mia Torres",
            "Revenue was $2.48 billion. We're narrowing our 2026 adjusted EPS guidance to "
            "$3.52 to $3.62 per share.",
        ),
        (
            "presentation",
            "Owen Blake",
            "Let me close with guidance. As Mia said, for 2026 we're narrowing our adjusted "
            "EPS guidance to $3.52 to $3.62 per share. We expect an effective tax rate of 14% "
            "to 16% in 2027.",
        ),
    ]
    b = generate_briefing(build_transcript(script), OfflineEngine())
    assert sum("$3.52 to $3.62" in g.text for g in b.guidance) == 1
    assert any("14% to 16%" in g.text for g in b.guidance)


def test_a_crowded_page_shortens_questions_before_it_drops_figures() -> None:
    # Recall lives in the figures: questions are cut to 12 words before figures go below 22.
    t = parse_transcript(FIXTURES.parent / "heldout2" / "northmere-2026q3.txt")
    full = generate_briefing(t, OfflineEngine(), max_words=100_000)
    b = generate_briefing(t, OfflineEngine())
    assert len(render_markdown(b).split()) <= 800
    if len(b.figures) < min(22, len(full.figures)):
        assert all(len(q.question.replace("…", "").split()) <= 12 for q in b.qa)
    assert any("1.46" in f.value for f in b.figures)


def test_a_buyback_authorization_outranks_a_total_returned() -> None:
    from briefing.pipeline import _notable_score
    from briefing.schemas import Notable

    def note(text: str) -> Notable:
        return Notable(
            kind="capital_return",
            text=text,
            speaker="Owen Blake",
            quote=text,
            line_start=None,
            line_end=None,
        )

    authorization = note("Our Board approved a new $400 million share repurchase authorization")
    returned = note("Between dividends and buybacks, we returned $97 million to shareholders")
    assert _notable_score(authorization) > _notable_score(returned)


def test_one_event_said_twice_is_one_notable_line() -> None:
    script = [
        ("presentation", "Operator", "Welcome to the Harbor Lights third quarter 2026 call."),
        (
            "presentation",
            "Mia Torres",
            "In August we initiated a voluntary field action on two lots of our Corvid knee "
            "insert. On the field action specifically, we recorded a pre-tax charge of $9.1 "
            "million in the quarter.",
        ),
    ]
    b = generate_briefing(build_transcript(script), OfflineEngine())
    assert sum("field action" in n.text for n in b.notable) == 1
    assert any("$9.1 million" in n.text for n in b.notable)


class _PerCallEngine(OfflineEngine):
    """Counts sections per transcript, as the LLM engine counts tokens per transcript."""

    name = "counting"

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[int, int] = {}

    async def remarks(self, transcript: Transcript, remarks: Remarks) -> RemarksOutput:
        self.sections[id(transcript)] = self.sections.get(id(transcript), 0) + 1
        return await super().remarks(transcript, remarks)

    def usage(self, transcript: Transcript | None = None) -> Usage:
        if transcript is None:
            return Usage(engine=self.name, calls=sum(self.sections.values()))
        return Usage(engine=self.name, calls=self.sections.get(id(transcript), 0))


def test_each_briefing_of_a_batch_carries_its_own_usage() -> None:
    examples = Path(__file__).parent.parent / "examples"
    first = parse_transcript(examples / "northwind-robotics-2026q3.txt")
    second = parse_transcript(examples / "aurora-payments-2026q2.txt")
    engine = _PerCallEngine()

    async def both() -> list[int]:
        done = await asyncio.gather(build_briefing(first, engine), build_briefing(second, engine))
        return [b.usage.calls for b in done]

    calls = asyncio.run(both())
    assert calls == [len(first.remarks), len(second.remarks)]
    assert engine.usage().calls == sum(calls)
