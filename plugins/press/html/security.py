"""The site's Content-Security-Policy, in one place.

nginx sends :data:`CONTENT_SECURITY_POLICY` as a header on every answer
(``deploy/nginx.py``), the release check expects it, and every page carries it
in a ``<meta http-equiv>`` (the theme's ``content_security_policy``), so a copy
served by another server is protected too.  Only 'self': no other host is ever
contacted; ``'wasm-unsafe-eval'`` lets the search (Pagefind) run its
WebAssembly.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Directives a <meta> element cannot carry (browsers ignore them there, with a warning).
HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "sandbox")


def meta_content_security_policy(policy: str = CONTENT_SECURITY_POLICY) -> str:
    """The policy as a page's ``<meta http-equiv>`` may state it."""
    directives = [directive.strip() for directive in policy.split(";")]
    return "; ".join(
        directive
        for directive in directives
        if directive and directive.split()[0] not in HEADER_ONLY_DIRECTIVES
    )
