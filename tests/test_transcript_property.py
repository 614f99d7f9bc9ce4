"""The reader returns a Transcript or raises InputError, whatever text it is given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import InputError
from briefing.transcript.model import Transcript
from briefing.transcript.reader import parse_transcript

_PIECES = st.sampled_from(
    [
        "Operator",
        "Operator: ",
        "Jane Doe - Chief Executive Officer",
        "John Roe -- Acme Bank -- Analyst",
        "Questions and Answers:",
        "PRESENTATION",
        "[speaker 1] ",
        "Speaker 2: ",
        "(spoken in foreign language)",
        "Our next question comes from Ann Lee with Foo Capital.",
        "-" * 80,
        "=" * 80,
        "Ann Lee,  Foo Capital - Analyst    [3]",
        "- **Jane Doe** *Acme Inc - CEO*",
        "I'll now turn the call over to our CFO, Bob Smith.",
        "Thank you, Jane.",
        "Q2 2024",
        "\n",
        "\n\n",
        ": ",
        "[",
        "{",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_reader_never_raises_anything_but_input_error(text: str) -> None:
    try:
        result = parse_transcript(text)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(result, Transcript)
    for turn in result.turns:
        assert 1 <= turn.line_start <= turn.line_end <= len(result.source_lines)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_reader_on_arbitrary_bytes(data: bytes) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_bytes(data)
        try:
            result = parse_transcript(path)
        except InputError as exc:
            assert str(exc).startswith(str(path))
        else:
            assert isinstance(result, Transcript) and result.turns
