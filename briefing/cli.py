"""The command line: parses arguments and calls the library, nothing more.

Every ``BriefingError`` becomes one line on stderr and its exit code; no traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from briefing.errors import BriefingError, ConfigError

app = typer.Typer(
    name="briefing",
    help="Turn earnings-call transcripts into one-page, fact-checked briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    """Print a one-line error and return the Exit to raise."""
    typer.echo(f"briefing: error: {message}", err=True)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the tool's own errors into a one-line message and an exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except BriefingError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None

    return wrapper


@app.command("generate")
@handle_errors
def generate_command(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: text, PDF or JSON.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="A file for one input (default: print), a folder for several."
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="auto, offline or openai.")] = "auto",
    cite: Annotated[bool, typer.Option("--cite", help="Show source line references.")] = False,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not save the briefings in the local store.")
    ] = False,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL).")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model (default: $BRIEFING_MODEL).")] = None,
    concurrency: Annotated[int, typer.Option(help="Model calls in flight at once.")] = 8,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Bypass the LLM response cache.")
    ] = False,
) -> None:
    """Generate the one-page briefing of each transcript."""
    from briefing.generate import run_generate

    outcome = run_generate(
        files,
        fmt=fmt,
        output=output,
        engine=engine,
        cite=cite,
        store=not no_store,
        base_url=base_url,
        model=model,
        concurrency=concurrency,
        cache=not no_cache,
        say=lambda line: typer.echo(f"briefing: {line}", err=True),
    )
    if output is None:
        # No --output: Markdown goes to the terminal, several briefings one after another.
        text = "\n\n".join(t.rstrip("\n") for t in outcome.texts)
        typer.echo(text, nl=bool(outcome.texts))
    if outcome.usage_line:
        typer.echo(f"briefing: {outcome.usage_line}", err=True)
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


@app.command("list")
@handle_errors
def list_command(
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show the newest N.")] = 20,
    company: Annotated[
        str | None, typer.Option(help="Only companies whose name contains this.")
    ] = None,
) -> None:
    """Show the briefings in the local store, oldest first."""
    from briefing.store import Store

    with Store.open() as store:
        rows = store.list_briefings(company=company, limit=limit)
        path = store.path
    if not rows:
        typer.echo(f"No briefings stored in {path}.")
        return
    for r in rows:
        typer.echo(
            f"{r.id:>4}  {r.created_at:%Y-%m-%d %H:%M}  {r.company or '?':<28.28}  "
            f"{r.period or '?':<10.10}  {r.engine:<8.8}  {r.source or '-'}"
        )


@app.command("slack")
@handle_errors
def slack_command(
    source: Annotated[
        Path, typer.Argument(help="A briefing .json file, or a transcript to brief first.")
    ],
    webhook: Annotated[
        str | None, typer.Option(help="Incoming-webhook URL (default: $SLACK_WEBHOOK_URL).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="Channel ID to post to with $SLACK_BOT_TOKEN.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Post even if this briefing already went to this destination.")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="Engine for a transcript: offline, openai or auto.")
    ] = "offline",
) -> None:
    """Post a briefing to Slack: the summary, with the Q&A detail in its thread."""
    from briefing.deliver.slack import post_briefing, resolve_target
    from briefing.deliver.source import EngineName, load_or_generate
    from briefing.store import Store

    engines: dict[str, EngineName] = {"offline": "offline", "openai": "openai", "auto": "auto"}
    if engine not in engines:
        raise ConfigError(f"--engine must be offline, openai or auto, got {engine!r}")
    target = resolve_target(webhook=webhook, channel=channel)
    with Store.open() as store:
        loaded = load_or_generate(source, engine=engines[engine], store=store)
        count = post_briefing(
            loaded.briefing, target, store=store, briefing_id=loaded.briefing_id, force=force
        )
    header = loaded.briefing.header
    name = " ".join(p for p in (header.company, header.fiscal_period) if p) or str(source)
    typer.echo(f"Posted {name} to {target.describe()} ({count} message(s)).")


@app.command("digest")
@handle_errors
def digest_command(
    to: Annotated[str, typer.Option("--to", help="Recipient address(es), comma-separated.")],
    since: Annotated[
        str | None,
        typer.Option(help="Instead of since the last digest: 24h, 7d or an ISO date."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write an .eml and an .html preview; send nothing.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the --dry-run files (default: here).")
    ] = None,
    resend_pending: Annotated[
        bool,
        typer.Option("--resend-pending", help="An unconfirmed digest did not arrive: resend."),
    ] = False,
    mark_sent: Annotated[
        bool,
        typer.Option("--mark-sent", help="An unconfirmed digest did arrive: record it as sent."),
    ] = False,
) -> None:
    """Email one digest of the briefings stored since the last digest (for cron)."""
    from briefing.deliver.digest import parse_recipients, parse_since, run_digest
    from briefing.deliver.smtp import SmtpSettings
    from briefing.store import Store

    recipients = parse_recipients(to)
    start = parse_since(since) if since is not None else None
    settings = None if dry_run else SmtpSettings.from_env()
    with Store.open() as store:
        result = run_digest(
            store,
            recipients,
            settings=settings,
            since=start,
            dry_run=dry_run,
            out_dir=out,
            resend_pending=resend_pending,
            mark_sent=mark_sent,
            sender=os.environ.get("BRIEFING_FROM") or "briefing@localhost",
        )
    if result.resolved:
        action = "recorded as sent" if mark_sent else "released for resending"
        ids = ", ".join(str(i) for i in result.resolved)
        typer.echo(f"Unconfirmed digest attempt(s) {ids} {action}.")
    elif (mark_sent or resend_pending) and not dry_run:
        typer.echo("No unconfirmed digest attempt to resolve.")
    who = ", ".join(result.recipients)
    if not result.briefing_ids:
        typer.echo(f"Nothing to send to {who}: no new briefings {result.window}.")
    elif result.preview is not None:
        eml, html = result.preview
        typer.echo(f"Dry run: {result.subject!r} written to {eml} and {html}; nothing sent.")
    else:
        typer.echo(f"Sent {result.subject!r} to {who}: {', '.join(result.companies)}.")


@app.command("parse")
def parse_command(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: text, PDF or JSON.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (JSON Lines for several files).")
    ] = False,
    layout: Annotated[
        str | None,
        typer.Option(
            help="Force a layout: refinitiv, streetevents, streetevents-brief, motley-fool,"
            " plain or asr."
        ),
    ] = None,
) -> None:
    """Read transcripts and show who spoke, the sections and the Q&A exchanges."""
    from briefing.transcript.outline import render_outline, transcript_json
    from briefing.transcript.reader import LAYOUTS, parse_transcript

    if layout is not None and layout not in LAYOUTS:
        raise fail(f"unknown layout {layout!r} (choose from {', '.join(LAYOUTS)})", 2)
    worst = 0
    for number, path in enumerate(files):
        try:
            transcript = parse_transcript(path, layout=layout)
        except BriefingError as exc:
            typer.echo(f"briefing: error: {exc}", err=True)
            worst = max(worst, exc.exit_code)
            continue
        for warning in transcript.warnings:
            typer.echo(f"briefing: warning: {path}: {warning}", err=True)
        if as_json:
            typer.echo(transcript_json(transcript, indent=2 if len(files) == 1 else None))
        else:
            typer.echo(("\n" if number else "") + render_outline(transcript))
    if worst:
        raise typer.Exit(worst)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()
