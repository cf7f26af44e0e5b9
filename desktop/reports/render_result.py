"""What every PDF render returns: its page count and the warnings to show the user
(a font that is not embedded, characters no installed font prints …)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: page count and warnings to show the user."""

    page_count: int
    warnings: tuple[str, ...]
