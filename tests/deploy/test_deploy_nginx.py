"""A real nginx on 127.0.0.1 serving a published fake site with deploy.nginx's configuration."""

from __future__ import annotations

import ast
import contextlib
import gzip
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy_fakesite import DEFAULT_LANG, LANGUAGES, NOT_FOUND, PROJECT, SITEURL, make_site, require_tool

from deploy.nginx import CONTENT_SECURITY_POLICY, render_nginx_conf
from deploy.release import publish, rollback

HOST = "127.0.0.1"  # the tests talk to nothing else


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port

    def get(self, path: str, headers: dict[str, str] | None = None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def start_nginx(prefix: Path, conf_text: str, port: int) -> subprocess.Popen:
    nginx = require_tool("nginx", "nginx-light")
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(conf_text, encoding="utf-8")
    test = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    assert test.returncode == 0, f"nginx -t failed:\n{test.stderr}"
    log = open(prefix / "logs" / "stderr.log", "wb")  # noqa: SIM115 - closed by the finalizer
    proc = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc.log = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            errors = (prefix / "logs" / "stderr.log").read_text(errors="replace")
            pytest.fail(f"nginx exited with {proc.returncode}:\n{errors}", pytrace=False)
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    stop_nginx(proc)
    pytest.fail("nginx did not listen within 15 s", pytrace=False)


def stop_nginx(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # fast shutdown of this one master (and its workers)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    proc.log.close()  # type: ignore[attr-defined]


@contextlib.contextmanager
def nginx_serving(root: Path, prefix: Path, languages: list[str], default_lang: str) -> Iterator[Server]:
    """A real nginx with deploy.nginx's standalone configuration, serving ROOT/current."""
    port = free_port()
    conf = render_nginx_conf(
        languages,
        default_lang,
        root,
        port,
        listen=f"{HOST}:{port}",
        standalone=True,
        # Workers run as `nobody` when the master is root; pytest's tmp folders are private.
        user="root" if os.geteuid() == 0 else None,
    )
    proc = start_nginx(prefix, conf, port)
    try:
        yield Server(root, port)
    finally:
        stop_nginx(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("nginx")
    root = base / "deploy"
    publish(
        root,
        lambda out: make_site(out, marker="v1"),
        siteurl=SITEURL,
        languages=LANGUAGES,
        check_options={"validate_html": False},  # the check tests run the validator
    )
    with nginx_serving(root, base / "prefix", LANGUAGES, DEFAULT_LANG) as server:
        yield server


SECURITY = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize(
    "path",
    ["/en/", "/fa/strike-funds/", "/assets/press.0a1b2c3d.css", "/it/no/such/page/", "/", "/en/feed.xml"],
)
def test_security_headers_on_every_answer(server: Server, path: str) -> None:
    _status, headers, _body = server.get(path)
    for name, value in SECURITY.items():
        assert headers[name] == value, f"{name} on {path}"
    policy = headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in policy
    permissions = headers["permissions-policy"]
    for feature in ("interest-cohort=()", "camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    assert headers["server"] == "nginx", "no version in Server"
    assert len(headers.get_all("content-security-policy")) == 1


def test_precompressed_copies_are_served_with_vary(server: Server) -> None:
    plain = (server.root / "current" / "en" / "index.html").read_bytes()
    status, headers, body = server.get("/en/", {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    assert body == (server.root / "current" / "en" / "index.html.gz").read_bytes(), (
        "gzip_static, not on the fly"
    )
    assert gzip.decompress(body) == plain
    assert headers["content-type"] == "text/html; charset=utf-8"
    status, headers, body = server.get("/en/")
    assert status == 200 and "content-encoding" not in headers and body == plain
    status, headers, body = server.get("/assets/press.0a1b2c3d.css", {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("it", "/it/"),
        ("sv;q=0.5, it;q=0.9", "/it/"),
        ("de", "/en/"),
        ("fa-IR,fa;q=0.9", "/fa/"),
        (None, "/en/"),
        ("", "/en/"),
        ("it;q=0, sv;q=0.1", "/sv/"),
        ("it;q=0.0", "/en/"),
        ("de, sv, it", "/sv/"),
        ("de-CH,de;q=0.9,it;q=0.8,en;q=0.7", "/it/"),
        ("it;q=0.9, sv;q=0.95", "/sv/"),
        ("it;q=0.95, sv;q=0.9", "/it/"),
        ("en-GB;q=0.8, fa;q=0.8", "/en/"),
        ("fa;q=0.8, en-GB;q=0.8", "/fa/"),
        ("SV-se", "/sv/"),
        ("*", "/en/"),
        ("de, *;q=0.5", "/en/"),
        ("swedish, italian", "/en/"),
        ("it ; q = 0.500, sv;q=0.499", "/it/"),
        ("fr;q=1.0, sv;q=1", "/sv/"),
        ("sv;q=0.001, de", "/sv/"),
    ],
)
def test_root_redirects_to_the_best_language(
    server: Server, accept_language: str | None, expected: str
) -> None:
    headers = {} if accept_language is None else {"Accept-Language": accept_language}
    status, response, _body = server.get("/", headers)
    assert status == 302
    assert response["location"] == expected, f"Accept-Language: {accept_language!r}"
    assert "Accept-Language" in response["vary"]
    assert "no-cache" in response["cache-control"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_own_404(server: Server, lang: str) -> None:
    status, headers, body = server.get(f"/{lang}/no/such/article/")
    assert status == 404
    text = body.decode("utf-8")
    assert NOT_FOUND[lang] in text
    assert f'<head><base href="/{lang}/">' in text, "relative links of the 404 page work at any depth"
    assert "immutable" not in headers.get("cache-control", "")


@pytest.mark.parametrize(
    "path", ["/nothing-here", "/de/", "/assets/missing.0000aaaa.css", "/articles/x/y.png"]
)
def test_other_missing_paths_get_the_default_language_404(server: Server, path: str) -> None:
    status, headers, body = server.get(path)
    assert status == 404
    assert NOT_FOUND[DEFAULT_LANG] in body.decode("utf-8")
    assert "immutable" not in headers.get("cache-control", ""), "a 404 must not be cached for a year"


def test_cache_lifetimes(server: Server) -> None:
    _status, headers, _body = server.get("/assets/press.0a1b2c3d.css")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    _status, headers, _body = server.get("/assets/fonts/serif.9c8d7e6f.woff2")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/en/", "/fa/strike-funds/", "/en/feed.xml", "/sitemap.xml", "/index.html"):
        status, headers, _body = server.get(path)
        assert status == 200, path
        assert headers["cache-control"] == "public, max-age=300", path


def test_folder_without_slash_redirects_relatively(server: Server) -> None:
    status, headers, _body = server.get("/en/strike-funds")
    assert status == 301
    assert headers["location"] == "/en/strike-funds/"


def test_hidden_files_are_not_served(server: Server) -> None:
    hidden = server.root / "current" / "en" / ".secret"
    hidden.write_text("not for the public", encoding="utf-8")
    try:
        status, headers, body = server.get("/en/.secret")
        assert status == 404 and b"not for the public" not in body
        assert headers["x-content-type-options"] == "nosniff"
    finally:
        hidden.unlink()


def test_switching_current_needs_no_reload(server: Server) -> None:
    assert b"v1 en" in server.get("/en/")[2]
    publish(
        server.root,
        lambda out: make_site(out, marker="v2"),
        siteurl=SITEURL,
        languages=LANGUAGES,
        check_options={"validate_html": False},
    )
    assert b"v2 en" in server.get("/en/")[2]
    rollback(server.root)
    assert b"v1 en" in server.get("/en/")[2]


def _site_languages() -> tuple[list[str], str]:
    tree = ast.parse((PROJECT / "pelicanconf.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if isinstance(target, ast.Name) and target.id in {"LANGUAGES", "DEFAULT_LANG"}:
            values[target.id] = ast.literal_eval(node.value)
    return list(values["LANGUAGES"]), values["DEFAULT_LANG"]


def test_committed_nginx_conf_matches_the_site_languages() -> None:
    languages, default = _site_languages()
    expected = render_nginx_conf(languages, default, "/srv/press", 80)
    committed = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert committed == expected, (
        "deploy/nginx.conf is stale: python -m deploy.nginx "
        f"--languages {','.join(languages)} --default {default} -o deploy/nginx.conf"
    )


def test_committed_nginx_conf_is_accepted_by_nginx(tmp_path: Path) -> None:
    nginx = require_tool("nginx", "nginx-light")
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    main = tmp_path / "main.conf"
    main.write_text(
        "pid nginx.pid;\nerror_log logs/error.log;\nevents {}\nhttp {\n"
        "  client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;\n"
        "  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;\n"
        f"  access_log off;\n  include {PROJECT / 'deploy' / 'nginx.conf'};\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_bad_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="DEFAULT_LANG"):
        render_nginx_conf(["it"], "en", "/srv/press")
    with pytest.raises(ValueError, match="language code"):
        render_nginx_conf(["en", "x;y"], "en", "/srv/press")
