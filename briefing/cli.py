"""The command line: parses arguments and calls the library, nothing more.

Every ``BriefingError`` becomes one line on stderr and its exit code; no traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

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


def main() -> None:
    """Console-script entry point."""
    app(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()
