"""Charts that carry their own description: a matplotlib figure plus alt text and a caption.

Domain chart functions build a ``matplotlib.figure.Figure`` (never through pyplot's global state,
so nothing is displayed twice) and return a :class:`Chart`. In JupyterLab a Chart shows as an
image; in the exported HTML its alt text and caption come from the output's metadata.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from matplotlib.figure import Figure

PNG_DPI = 110


@dataclass
class Chart:
    """A finished figure with the words a reader who cannot see it needs."""

    figure: Figure
    alt: str
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.alt or not self.alt.strip():
            raise ValueError("a chart needs alt text that describes what it shows")

    def png_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight",
                            metadata={"Software": None})
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        encoded = base64.b64encode(self.png_bytes()).decode("ascii")
        data = {"image/png": encoded, "text/plain": self.alt}
        metadata = {"image/png": {"alt": self.alt, "caption": self.caption}}
        return data, metadata


def new_figure(width: float = 8.0, height: float = 4.5) -> Figure:
    """A blank figure in the house style, detached from pyplot."""
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure
