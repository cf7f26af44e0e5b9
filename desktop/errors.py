"""The one error type a clerk may see.

Services raise `UserError` with a message in Simplified Chinese that can be shown
as it is; anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal the user can act on; `str(err)` is the Chinese message."""

    def __init__(self, message: str, *, problems: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Optional structured details (e.g. every bad row of an import).
        self.problems = problems or []

    def __str__(self) -> str:
        return self.message


def problem_text(problem: object) -> str:
    """One problem as a line: import problems describe themselves, field
    problems are (field, reason) pairs."""
    describe = getattr(problem, "describe", None)
    if callable(describe):
        return str(describe())
    if isinstance(problem, tuple) and len(problem) == 2:
        return str(problem[1])
    return str(problem)
