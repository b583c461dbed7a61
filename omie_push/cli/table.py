"""Plain-text tables for the terminal, with no import beyond the standard library (rich's
import would cost `omie-push catalog` most of its 0.1 s)."""
from __future__ import annotations

from typing import Sequence

Cell = str | Sequence[str]     # a list of strings is a cell of several lines


def render(header: Sequence[str], rows: Sequence[Sequence[Cell]], gap: int = 2) -> str:
    """Columns as wide as their widest line, a rule under the header, a cell's lines stacked."""
    lines_of = [[[c] if isinstance(c, str) else list(c) or [""] for c in row] for row in rows]
    widths = [len(h) for h in header]
    for row in lines_of:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in cell))
    pad = " " * gap

    def line(cells: Sequence[str]) -> str:
        return pad.join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    for row in lines_of:
        for k in range(max(len(cell) for cell in row)):
            out.append(line([cell[k] if k < len(cell) else "" for cell in row]))
    return "\n".join(out)
