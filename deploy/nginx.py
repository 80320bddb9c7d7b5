"""Render the nginx configuration that serves ``<root>/current/``.

``render_nginx_conf(languages, default_lang, root, port)`` returns the text of
a server configuration: two ``map`` blocks (the language chosen from
Accept-Language) and one ``server`` block. By default it is a snippet for the
``http`` context (``/etc/nginx/conf.d/press.conf``); ``standalone=True`` wraps
it into a complete ``nginx.conf`` (own pid, logs and temp folders under the
``-p`` prefix, a built-in ``types`` table) such as the tests run.

What the server does:

- ``/`` answers ``302`` to ``/<best>/``: the first supported language with the
  highest q-value in Accept-Language (a primary subtag matches: ``fa-IR`` is
  ``fa``), never one with ``q=0``; otherwise DEFAULT_LANG;
- ``/<L>/…`` serves that language, with ``/<L>/404.html`` (status 404) for a
  missing file; everything else falls back to DEFAULT_LANG's 404 page; a 404
  page gets a ``<base href="/<L>/">`` injected after ``<head>`` so that its
  relative links work at whatever depth it is shown;
- security headers on every answer (errors included): Content-Security-Policy
  (only 'self'), Referrer-Policy, X-Content-Type-Options, Permissions-Policy,
  X-Frame-Options; ``server_tokens off``;
- ``gzip_static`` (the ``.gz`` copies ``publish`` writes) with
  ``Vary: Accept-Encoding``;
- ``/assets/`` is cached a year (``immutable``: the names carry a fingerprint),
  everything else five minutes.

How q-values are handled: nginx's ``map`` tries its regexes in order and the
first match wins. One regex per q bucket, from ``q=1`` down through
``0.99, 0.98 … 0.01`` to ``0.001-0.009``, each matching "the first entry of the
header, from the left, that is a supported language with a q in this bucket";
the named capture gives the language and a second map turns it into the
lower-case code. So the best language wins, ties go to the one listed first,
``q=0`` never matches. Limitation: q-values are compared to two decimals
(``0.555`` and ``0.559`` tie; the header order decides); only the first
Accept-Language header line is read. Browsers send one decimal.

Run ``python -m deploy.nginx`` to write ``deploy/nginx.conf`` for the site's
LANGUAGES (see ``--help``); a test checks that the committed file is current.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from press.html.security import CONTENT_SECURITY_POLICY

logger = logging.getLogger(__name__)

PERMISSIONS_POLICY = (
    "interest-cohort=(), browsing-topics=(), camera=(), microphone=(), geolocation=(), "
    "payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
ASSET_CACHE = "public, max-age=31536000, immutable"
DEFAULT_CACHE = "public, max-age=300"

#: MIME types of the standalone configuration (production uses the system's mime.types).
STANDALONE_TYPES = {
    "text/html": "html htm",
    "text/css": "css",
    "text/javascript": "js mjs",
    "application/xml": "xml",
    "application/json": "json",
    "text/plain": "txt",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg jpeg",
    "image/gif": "gif",
    "application/epub+zip": "epub",
    "application/zip": "zip",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "font/woff": "woff",
    "application/wasm": "wasm",
    "application/pdf": "pdf",
    "application/manifest+json": "webmanifest",
}

_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*\Z")


def q_buckets() -> list[tuple[str, str]]:
    """(label, regex of the q-value) pairs, best first; q=0 is in none of them."""
    buckets = [("1", r"1(?:\.0{0,3})?")]
    for hundredths in range(99, 0, -1):
        tens, units = divmod(hundredths, 10)
        # 0.9, 0.90, 0.900 … 0.909 all fall in the 0.90 bucket
        pattern = rf"0\.{tens}(?:0[0-9]?)?" if units == 0 else rf"0\.{tens}{units}[0-9]?"
        buckets.append((f"0.{tens}{units}", pattern))
    buckets.append(("0.001", r"0\.00[1-9]"))
    return buckets


def accept_language_regex(languages: list[str], q_pattern: str, implicit: bool) -> str:
    """The regex for "the leftmost supported language whose q matches ``q_pattern``"."""
    alternation = "|".join(re.escape(lang) for lang in sorted(languages, key=len, reverse=True))
    q_part = rf";\s*q\s*=\s*{q_pattern}\s*"
    if implicit:
        q_part = f"(?:{q_part})?"
    # (?:[^,]*,)*? skips whole entries, as few as possible: the leftmost match wins.
    return rf"^(?:[^,]*,)*?\s*(?<press_al>{alternation})(?:-[a-z0-9]+)*\s*{q_part}(?:,|$)"


def _quote(value: str) -> str:
    if '"' in value or "\\\\" in value:
        raise ValueError(f"cannot quote {value!r} for nginx")
    return f'"{value}"'


def _headers(indent: str, cache: str | None) -> list[str]:
    lines = [f"{indent}add_header {name} {_quote(value)} always;" for name, value in SECURITY_HEADERS]
    if cache:
        lines.append(f"{indent}add_header Cache-Control {_quote(cache)};")
    return lines


# \Z, not $: "$" also matches before a final line break, which would reach the header
ONION_RE = re.compile(r"https?://(?:[a-z2-7]{56}|[a-z2-7]{16})\.onion/?\Z")


def with_onion_location(lines: list[str], onion: str) -> list[str]:
    """``Onion-Location`` beside every set of security headers (add_header is not inherited)."""
    if not ONION_RE.match(onion):
        raise ValueError(f"not an onion service address: {onion!r} (expected http://<56 letters>.onion)")
    header = f"add_header Onion-Location {_quote(onion.rstrip('/') + '$request_uri')} always;"
    result = []
    for line in lines:
        result.append(line)
        if "add_header Content-Security-Policy" in line:
            result.append(line[: len(line) - len(line.lstrip())] + header)
    return result


def render_nginx_conf(
    languages: list[str] | tuple[str, ...],
    default_lang: str,
    root: str | Path,
    port: int = 80,
    *,
    listen: str | None = None,
    server_name: str = "_",
    standalone: bool = False,
    user: str | None = None,
    hsts: bool = False,
    access_log: str | None = None,
    onion: str | None = None,
) -> str:
    """The nginx configuration serving ``<root>/current/`` for ``languages``.

    ``listen`` defaults to ``port`` on every address (give e.g. ``127.0.0.1:8080``
    to bind one). ``standalone=True`` returns a complete nginx.conf for
    ``nginx -p PREFIX -c CONF``; ``user`` then sets the workers' user (``root``
    when the tests run as root, so that the workers can read a private tmp
    folder). ``hsts=True`` adds Strict-Transport-Security (only behind TLS).
    ``onion="http://….onion"`` sends ``Onion-Location`` with every response, so
    that Tor Browser offers the press's onion mirror.
    """
    languages = [str(lang).lower() for lang in languages]
    default_lang = str(default_lang).lower()
    if not languages:
        raise ValueError("no languages given")
    for lang in languages:
        if not _LANG_RE.match(lang):
            raise ValueError(f"not a language code nginx can serve: {lang!r}")
    if default_lang not in languages:
        raise ValueError(f"DEFAULT_LANG {default_lang!r} is not among {languages}")
    # nginx reads a relative root against its own prefix, not against the folder it was
    # written from: always an absolute, tidied path (no "..")
    docroot = os.path.join(os.path.normpath(os.path.abspath(os.path.expanduser(str(root)))), "current")
    if any(c in docroot for c in " ;\"{}'\\$"):
        raise ValueError(f"unsupported character in the root path {docroot!r}")
    listen = listen or str(port)

    out: list[str] = [
        f"# Generated by deploy/nginx.py for languages {', '.join(languages)} "
        f"(default {default_lang}); serves {docroot}/.",
        "# Regenerate: python -m deploy.nginx --help. Do not edit by hand.",
        "",
        "# Best language from Accept-Language: one regex per q bucket, best bucket",
        "# first; each finds the leftmost supported language with a q in its",
        "# bucket, so ties go to the header's order and q=0 is never chosen.",
        "map $http_accept_language $press_al_match {",
        '    default "";',
    ]
    for label, pattern in q_buckets():
        regex = accept_language_regex(languages, pattern, implicit=label == "1")
        out.append(f"    {_quote('~*' + regex)} $press_al;  # q={label}")
    out += [
        "}",
        "",
        "map $press_al_match $press_lang {",
        f"    default {default_lang};",
    ]
    for lang in languages:
        out.append(f"    ~*^{re.escape(lang)}$ {lang};")
    out += ["}", ""]

    server = [
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {docroot};",
        "    index index.html;",
        "    charset utf-8;",
        "    charset_types text/css text/plain text/xml application/xml application/atom+xml "
        "text/javascript application/javascript application/json;",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    disable_symlinks off;  # <root>/current is a symlink, switched atomically",
        "",
        "    gzip_static on;",
        "    gzip_vary on;",
        "    gzip on;  # for the odd text file without a .gz copy",
        "    gzip_types text/css text/plain text/xml application/xml application/atom+xml "
        "text/javascript application/javascript application/json image/svg+xml;",
        "",
    ]
    if hsts:
        server.append('    add_header Strict-Transport-Security "max-age=31536000" always;')
    server += ["    # add_header is not inherited by a location that has its own: each repeats them."]
    server += _headers("    ", DEFAULT_CACHE)
    server += [
        "",
        "    location = / {",
        *_headers("        ", None),
        '        add_header Cache-Control "private, no-cache" always;',
        "        add_header Vary Accept-Language always;",
        "        return 302 /$press_lang/;",
        "    }",
        "",
        "    location /assets/ {",
        *_headers("        ", ASSET_CACHE),
        f"        error_page 404 /{default_lang}/404.html;",
        "    }",
        "",
        "    # Hidden files (.git, .htaccess…) are not served; /.well-known/ (ACME) is.",
        "    location ~ /\\.(?!well-known/) {",
        *_headers("        ", None),
        "        return 404;",
        "    }",
        "",
    ]
    for lang in languages:
        server += [
            f"    location /{lang}/ {{",
            *_headers("        ", DEFAULT_CACHE),
            f"        error_page 404 /{lang}/404.html;",
            "    }",
            # The 404 page is shown at any depth: a <base> makes its relative links work.
            f"    location = /{lang}/404.html {{",
            *_headers("        ", "no-cache"),
            "        gzip_static off;",
            f"        sub_filter '<head>' '<head><base href=\"/{lang}/\">';",
            "        sub_filter_once on;",
            "    }",
        ]
    server += [
        "",
        "    location / {",
        *_headers("        ", DEFAULT_CACHE),
        f"        error_page 404 /{default_lang}/404.html;",
        "    }",
        "}",
    ]
    if onion:
        server = with_onion_location(server, onion)
    out += server

    if not standalone:
        return "\n".join(out) + "\n"

    main = [
        "# Standalone configuration: nginx -p PREFIX -c CONF -g 'daemon off;'",
        "# (pid, logs and temp folders are relative to PREFIX).",
    ]
    if user:
        main.append(f"user {user};")
    main += [
        "worker_processes 1;",
        "pid nginx.pid;",
        "error_log logs/error.log warn;",
        "events {",
        "    worker_connections 64;",
        "}",
        "http {",
        "    types {",
    ]
    for mime, exts in STANDALONE_TYPES.items():
        main.append(f"        {mime} {exts};")
    main += [
        "    }",
        "    default_type application/octet-stream;",
        f"    access_log {access_log or 'logs/access.log'};",
        "    client_body_temp_path tmp/body;",
        "    proxy_temp_path tmp/proxy;",
        "    fastcgi_temp_path tmp/fastcgi;",
        "    uwsgi_temp_path tmp/uwsgi;",
        "    scgi_temp_path tmp/scgi;",
        "    sendfile on;",
        "",
    ]
    main += ["    " + line if line else "" for line in out]
    main.append("}")
    return "\n".join(main) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.nginx",
        description="Write the nginx configuration serving ROOT/current/ for the site's languages.",
    )
    parser.add_argument(
        "--languages", default="en,it,sv,fa", help="comma-separated LANGUAGES (default en,it,sv,fa)"
    )
    parser.add_argument("--default", default="en", help="DEFAULT_LANG (default en)")
    parser.add_argument(
        "--root", default="/srv/press", help="deploy root holding current/ (default /srv/press)"
    )
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--server-name", default="_")
    parser.add_argument(
        "--standalone", action="store_true", help="a complete nginx.conf, not a conf.d snippet"
    )
    parser.add_argument("--hsts", action="store_true", help="add Strict-Transport-Security (TLS only)")
    parser.add_argument("--onion", help="the onion mirror's address, sent as Onion-Location")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        text = render_nginx_conf(
            [x for x in args.languages.split(",") if x],
            args.default,
            args.root,
            args.port,
            server_name=args.server_name,
            standalone=args.standalone,
            hsts=args.hsts,
            onion=args.onion,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        logger.info("wrote %s", args.output)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
