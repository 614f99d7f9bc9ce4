"""The `generate` job: choose the engine, brief a batch of files, write, store, report.

The CLI parses arguments and calls ``run_generate``; everything the job decides (which
engine, where each briefing goes, what is stored, what is said on stderr) lives here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from briefing.engines import llm_configured, select_engine
from briefing.errors import ConfigError
from briefing.pipeline import BatchResult, generate_batch
from briefing.render import render

if TYPE_CHECKING:
    from briefing.engines.base import Engine
    from briefing.schemas import Briefing
    from briefing.store import Store

Format = Literal["md", "html", "json"]
FORMATS: tuple[str, ...] = ("md", "html", "json")
ENGINES: tuple[str, ...] = ("auto", "offline", "openai")


@dataclass
class GenerateOutcome:
    """What a run produced: the texts to print (no --output), the failures, the usage line."""

    texts: list[str] = field(default_factory=list)
    failures: list[BatchResult] = field(default_factory=list)
    usage_line: str | None = None

    @property
    def exit_code(self) -> int:
        return max((r.error.exit_code for r in self.failures if r.error is not None), default=0)


def run_generate(
    files: list[Path],
    *,
    fmt: str = "md",
    output: Path | None = None,
    engine: str = "auto",
    cite: bool = False,
    store: bool = True,
    base_url: str | None = None,
    model: str | None = None,
    concurrency: int = 8,
    cache: bool = True,
    say: Callable[[str], None] = lambda _line: None,
) -> GenerateOutcome:
    """Brief every file; ``say`` receives the one-line notices meant for stderr.

    A file that fails is reported and the others go on; each briefing is written (and
    stored) as soon as it is ready, so a later failure never loses an earlier one.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be md, html or json, got {fmt!r}")
    if engine not in ENGINES:
        raise ConfigError(f"--engine must be auto, offline or openai, got {engine!r}")
    if len(files) > 1 and output is None and fmt != "md":
        raise ConfigError(f"with several inputs and --format {fmt}, give --output FOLDER")
    outcome = GenerateOutcome()
    with ExitStack() as stack:
        opened: Store | None = None
        if store or cache:
            from briefing.store import Store

            opened = stack.enter_context(Store.open())
        chosen = select_engine(
            engine,
            base_url=base_url,
            model=model,
            concurrency=concurrency,
            cache=opened if cache else None,
        )
        why = " (no OPENAI_API_KEY or OPENAI_BASE_URL set)" if not llm_configured(base_url) else ""
        label = f"{chosen.name} ({chosen.model})" if chosen.model else chosen.name
        say(f"engine: {label}{why if engine == 'auto' else ''}")

        def done(result: BatchResult) -> None:
            if result.error is not None:
                outcome.failures.append(result)
                say(f"error: {result.error}")
                return
            if result.briefing is not None and opened is not None and store:
                result.store_id = opened.save_briefing(
                    result.briefing, source=str(result.source), source_hash=result.source_hash
                )
            if result.output is not None:
                say(f"wrote {result.output}")

        def render_one(b: Briefing) -> str:
            return render(b, cast(Format, fmt), cite=cite)

        results = asyncio.run(_batch(files, chosen, render_one, fmt, output, done))
    if output is None:
        outcome.texts = [r.text for r in results if r.text is not None]
    outcome.usage_line = _usage_line(chosen)
    return outcome


def _usage_line(engine: Engine) -> str | None:
    usage = engine.usage()
    if engine.name == "openai":
        from briefing.engines.llm import format_usage

        return format_usage(usage)
    if usage.calls:
        return (
            f"{usage.calls} model calls, "
            f"{usage.prompt_tokens + usage.completion_tokens:,} tokens, "
            f"est. ${usage.cost_usd:.4f}"
        )
    return None


async def _batch(
    files: list[Path],
    engine: Engine,
    render_one: Callable[[Briefing], str],
    fmt: str,
    output: Path | None,
    done: Callable[[BatchResult], None],
) -> list[BatchResult]:
    """The batch, with a progress bar on stderr when there are several files."""
    if len(files) == 1:
        return await generate_batch(
            files, engine, render=render_one, fmt=fmt, output=output, on_done=done
        )
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("Generating", total=len(files))

        def advance(result: BatchResult) -> None:
            done(result)
            progress.advance(task)

        return await generate_batch(
            files, engine, render=render_one, fmt=fmt, output=output, on_done=advance
        )
