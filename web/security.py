"""Response headers that keep the pages to themselves: no scripts, no inline code, no framing,
nothing fetched from anywhere else, and nothing about a person's diet left in a cache."""

from __future__ import annotations

import base64
import hashlib
import html
import re

# The app's own pages: one stylesheet from the app, no scripts at all, forms post back here.
PAGE_POLICY = "; ".join([
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def add_headers(response, *, private: bool = True):
    """Set the security headers on a response (a page's own policy is left as it is)."""
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    if private:
        # a report is health information: no copy in the browser's or a proxy's cache
        response.headers["Cache-Control"] = "no-store"
    return response


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                         ).decode("ascii") + "'"


def report_policy(page: str) -> str:
    """The policy for a report page: its own inline styles allowed by hash, nothing else.

    The report is one self-contained document (the same HTML the PDF is drawn from), so its
    styles are inline; each one is allowed by its SHA-256 rather than allowing inline styles
    in general, and the page is sandboxed so that no script could run even if one got in.
    """
    blocks = [m.group(1) for m in _STYLE_ELEMENT.finditer(page)]
    attributes = [html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
                  for m in _STYLE_ATTRIBUTE.finditer(_STYLE_ELEMENT.sub("", page))]
    sources = [_digest(text) for text in dict.fromkeys(blocks)]
    if attributes:
        sources += ["'unsafe-hashes'", *(_digest(text) for text in dict.fromkeys(attributes))]
    return "; ".join([
        "default-src 'none'",
        "style-src " + (" ".join(sources) if sources else "'none'"),
        "img-src data:",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "sandbox",
    ])
