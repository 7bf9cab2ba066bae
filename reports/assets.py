"""A clinic's logo, read from a local file and embedded in the report as a data: URL."""

from __future__ import annotations

import base64
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError

MAX_LOGO_BYTES = 2_000_000

# Raster formats only, recognised by their first bytes rather than the file name: an SVG logo
# could carry references to other files, and the report must not depend on anything outside it.
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


class BadLogo(NutrigapError):
    """A logo file that cannot be put in a report."""


def image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG or GIF image, or None for anything else."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return None


def logo_data_url(path: str | Path) -> str:
    """Read a PNG, JPEG or GIF logo and return it as a data: URL."""
    path = Path(path)
    try:
        with open(path, "rb") as fp:
            data = fp.read(MAX_LOGO_BYTES + 1)  # no more: the path may name a device
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BadLogo(f"logo {path}: cannot be read ({reason}); give the path of a PNG or "
                      "JPEG file") from None
    if len(data) > MAX_LOGO_BYTES:
        raise BadLogo(f"logo {path}: larger than {MAX_LOGO_BYTES // 1_000_000} MB, too large "
                      "for a report header; save it smaller")
    mime = image_type(data)
    if mime is None:
        raise BadLogo(f"logo {path}: not a PNG, JPEG or GIF image; export the logo as PNG")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
