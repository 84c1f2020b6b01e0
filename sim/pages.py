"""Small helpers shared by the HTML reports: one page style, images embedded inline."""

from __future__ import annotations

import base64
import html
from pathlib import Path

STYLE = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.45}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}img{max-width:100%}"""


def embed_image(path: Path, alt: str) -> str:
    """A <figure> holding the PNG itself, so the page is one self-contained file."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def page(title: str, body: str) -> str:
    """A complete HTML page with the shared style."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>
{body}</body></html>
"""


def yuan(amount: float) -> str:
    """Money for people: 1.23 bn yuan, 45.6 M yuan, 789 yuan."""
    a = abs(amount)
    if a >= 1e9:
        return f"{amount / 1e9:,.2f} bn yuan"
    if a >= 1e6:
        return f"{amount / 1e6:,.1f} M yuan"
    return f"{amount:,.0f} yuan"


def millions(count: float, signed: bool = False) -> str:
    """Subscribers in millions: 1.23 M (or +1.23 M)."""
    return f"{count / 1e6:{'+' if signed else ''},.2f} M"
