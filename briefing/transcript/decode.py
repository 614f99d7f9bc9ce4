"""Turning bytes (text in any common encoding, PDF, speaker-tagged JSON) into text lines.

Providers ship transcripts as UTF-8, Windows-1252/Latin-1 exports, UTF-16 with a BOM, PDF
and JSON from transcript APIs. Everything is normalised here so that the layout readers
see one thing: a list of lines, whose 1-based numbers are what turns point at.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
_PDF_MAGIC = b"%PDF-"
_CONTROL_OK = frozenset("\t\n\r\f\v")


@dataclass(frozen=True)
class Decoded:
    """Text lines ready for the layout readers, with where they came from.

    For JSON the turns are known already: ``heads`` holds the 1-based line where each
    starts (``Speaker - Title: text``), so no speaker has to be guessed from the text.
    """

    lines: list[str]
    kind: str  # "text", "pdf" or "json"
    source: str | None
    heads: tuple[int, ...] = ()


def read_source(source: str | Path) -> Decoded:
    """Read a path (or treat a string that is no existing path as the transcript text)."""
    if isinstance(source, Path):
        return decode_bytes(_read_path(source), str(source))
    if "\n" not in source and len(source) < 4096:
        try:
            candidate = Path(source).expanduser()
            exists = candidate.is_file()
        except (OSError, ValueError, RuntimeError):  # RuntimeError: "~" with no home
            candidate, exists = Path(source), False
        if exists:
            return decode_bytes(_read_path(candidate), source)
        if _looks_like_path(source):
            raise InputError(source, "no such file")
    return decode_text(source, None)


def _looks_like_path(text: str) -> bool:
    """A one-line string ending in a file extension we read is a path, not a transcript."""
    stripped = text.strip()
    return bool(stripped) and " " not in stripped.strip("/") and "." in Path(stripped).name


def _read_path(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(path, "is a directory, not a transcript file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is too large ({size // 1_048_576} MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def decode_bytes(data: bytes, source: str | None) -> Decoded:
    """Bytes of a file -> lines: PDF text layer, JSON turns or decoded text."""
    if not data.strip():
        raise InputError(source, "file is empty")
    if data.startswith(_PDF_MAGIC):
        return Decoded(pdf_lines(data, source), "pdf", source)
    return decode_text(bytes_to_text(data, source), source)


def bytes_to_text(data: bytes, source: str | None) -> str:
    """Decode text bytes: BOMs first, then UTF-8, then Windows-1252, then Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif _looks_utf16_without_bom(data):
        text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", "replace")
    else:
        if b"\x00" in data[:8192]:
            raise InputError(source, "binary file, not a text transcript")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if _is_binary_text(text):
        raise InputError(source, "binary file, not a text transcript")
    return text


def _looks_utf16_without_bom(data: bytes) -> bool:
    head = data[:2000]
    if len(head) < 8:
        return False
    odd_zeros = head[1::2].count(0)
    even_zeros = head[0::2].count(0)
    half = len(head) // 2
    return odd_zeros > 0.4 * half or even_zeros > 0.4 * half


def _is_binary_text(text: str) -> bool:
    """Control characters beyond a trace mean the bytes were never text."""
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in _CONTROL_OK)
    replaced = sample.count("\ufffd")
    return bad > max(2, len(sample) // 200) or replaced > max(8, len(sample) // 20)


def decode_text(text: str, source: str | None) -> Decoded:
    """Text -> lines; a JSON document of speaker-tagged turns becomes ``Speaker: text``."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(source, "file is empty")
    stripped = text.lstrip()
    if stripped[:1] in "[{":
        turns = _json_turns(stripped)
        if turns is not None:
            lines, heads = _json_lines(turns)
            if not heads:
                raise InputError(source, "JSON holds no speaker turns")
            return Decoded(lines, "json", source, heads)
    return Decoded(split_lines(text), "text", source)


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF (not on the exotic separators str.splitlines knows)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


_SPEAKER_KEYS = ("speaker", "name", "speaker_name", "speakerName", "person", "participant")
_TEXT_KEYS = ("text", "content", "speech", "transcript", "utterance", "words", "body")
_TITLE_KEYS = ("title", "role", "speaker_title", "speakerTitle", "position")
_AFFILIATION_KEYS = ("affiliation", "company", "firm", "organization", "organisation")
_LIST_KEYS = ("turns", "transcript", "segments", "utterances", "speakers", "data", "results")
_QA_KEY = re.compile(r"question|answer|\bqa\b|q_?and_?a|q&a", re.I)
_PRES_KEY = re.compile(r"prepared|presentation|remarks", re.I)

JsonTurn = tuple[str, str | None, str]
"""(speaker, title, text), or ("", marker, "") for a section heading."""


def _json_turns(text: str) -> list[JsonTurn] | None:
    """``[{speaker, text}, ...]`` (possibly wrapped, or split by section) -> turns."""
    try:
        doc: Any = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    sections = _find_turn_lists(doc)
    if sections is None:
        return None
    out: list[JsonTurn] = []
    for marker, items in sections:
        if marker is not None:
            out.append(("", marker, ""))
        for item in items:
            speaker, title = _speaker_of(item)
            body = _first_str(item, _TEXT_KEYS)
            if body is not None:
                out.append(((speaker or "Unknown speaker").strip(), title, body))
    return out


def _is_turn_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) for x in value)
        and any(_first_str(x, _TEXT_KEYS) is not None for x in value)
    )


def _find_turn_lists(doc: Any, depth: int = 0) -> list[tuple[str | None, list[Any]]] | None:
    """The turn list(s) in a document: one list, or one per section ("prepared", "qa")."""
    if _is_turn_list(doc):
        return [(None, doc)]
    if not isinstance(doc, dict) or depth >= 3:
        return None
    by_section: list[tuple[str | None, list[Any]]] = [
        ("Questions and Answers:" if _QA_KEY.search(k) else "Prepared Remarks:", v)
        for k, v in doc.items()
        if (_QA_KEY.search(k) or _PRES_KEY.search(k)) and _is_turn_list(v)
    ]
    if by_section:
        return by_section
    for key in _LIST_KEYS:
        if key in doc:
            found = _find_turn_lists(doc[key], depth + 1)
            if found is not None:
                return found
    return None


def _speaker_of(item: dict[str, Any]) -> tuple[str | None, str | None]:
    """The speaker's name, and "Affiliation - Title" when the item gives them."""
    holder = item
    name = _first_str(item, _SPEAKER_KEYS)
    for key in _SPEAKER_KEYS:
        value = item.get(key)
        if isinstance(value, dict):  # {"speaker": {"name": ..., "title": ...}}
            holder = value
            name = _first_str(value, ("name", "full_name", "fullName"))
            break
    parts = (_first_str(holder, _AFFILIATION_KEYS), _first_str(holder, _TITLE_KEYS))
    rest = " - ".join(p.strip() for p in parts if p and p.strip())
    return name, rest or None


def _first_str(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int) and not isinstance(value, bool) and key in _SPEAKER_KEYS:
            return f"Speaker {value}"
    return None


def _json_lines(turns: list[JsonTurn]) -> tuple[list[str], tuple[int, ...]]:
    """Lay JSON turns out as ``Speaker - Title: text`` paragraphs, the plain layout."""
    lines: list[str] = []
    heads: list[int] = []
    for speaker, title, body in turns:
        if not speaker and title and not body:
            lines.extend([*([""] if lines else []), title])
            continue
        speaker = " ".join(speaker.replace(":", " ").split())
        label = f"{speaker} - {' '.join(title.replace(':', ' ').split())}" if title else speaker
        paragraphs = [p.strip() for p in split_lines(body)]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            continue
        if lines:
            lines.append("")
        heads.append(len(lines) + 1)
        lines.append(f"{label}: {paragraphs[0]}")
        lines.extend(paragraphs[1:])
    return lines, tuple(heads)


def pdf_lines(data: bytes, source: str | None) -> list[str]:
    """The text layer of a PDF, page after page; a scanned PDF without one is an error."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # pypdf raises several types for a missing password
                raise InputError(source, "PDF is encrypted") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(source, f"unreadable PDF ({exc})") from None
    if sum(len(p.split()) for p in pages) < 20:
        raise InputError(
            source, "PDF has no text layer (a scan?); run OCR on it first, then parse the text"
        )
    return strip_page_furniture([split_lines(p) for p in pages])


_EDGE = 3


def strip_page_furniture(pages: list[list[str]]) -> list[str]:
    """Join pages, dropping running headers, footers and page numbers.

    A line near the top or bottom of a page that recurs (digits aside) on at least half
    the pages is furniture, not speech; so is a bare page number.
    """

    def signature(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    counts: dict[str, int] = {}
    for page in pages:
        edges = {signature(x) for x in page[:_EDGE] + page[-_EDGE:] if x.strip()}
        for sig in edges:
            counts[sig] = counts.get(sig, 0) + 1
    threshold = max(2, (len(pages) + 1) // 2)
    furniture = {sig for sig, n in counts.items() if n >= threshold}
    out: list[str] = []
    for page in pages:
        for k, line in enumerate(page):
            edge = k < _EDGE or k >= len(page) - _EDGE
            sig = signature(line)
            if edge and (
                sig in furniture or re.fullmatch(r"(?:page\s*)?#(?:\s*(?:of|/)\s*#)?", sig)
            ):
                continue
            out.append(line)
    return out
