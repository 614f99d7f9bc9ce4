"""The command line: parses arguments and calls the library, nothing more.

Every ``BriefingError`` becomes one line on stderr and its exit code; no traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer

from briefing.errors import BriefingError

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


def main() -> None:
    """Console-script entry point."""
    app(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()
