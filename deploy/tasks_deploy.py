"""Invoke tasks for deployment, as plain functions taking the invoke context ``c``.

tasks.py wraps them, e.g.::

    from invoke import task
    from deploy import tasks_deploy

    check = task(tasks_deploy.check)
    publish = task(tasks_deploy.publish)
    rollback = task(tasks_deploy.rollback)
    nginx_conf = task(tasks_deploy.nginx_conf)

Expected failures end with invoke's ``Exit`` (a message and status 1, no traceback).
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from invoke.exceptions import Exit

PROJECT = Path(__file__).resolve().parent.parent
#: Where releases live and ``current`` points (nginx serves ROOT/current/).
DEFAULT_ROOT = os.environ.get("PRESS_DEPLOY_ROOT", "/srv/press")


def _settings(settings_file: str) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))


def check(c, output="output", settings="publishconf.py", fragments=False, vnu=True):
    """Check a built site folder: links, feeds, foreign resources, placeholders, HTML."""
    from deploy.check import check_site

    conf = _settings(settings)
    failures = check_site(
        PROJECT / output,
        siteurl=conf.get("SITEURL") or None,
        languages=conf.get("LANGUAGES"),
        check_fragments=fragments,
        validate_html=vnu,
    )
    for failure in failures:
        print(failure)
    if failures:
        raise Exit(f"{len(failures)} failure(s) in {output}", code=1)
    print(f"{output}: no failures")


def publish(c, root=DEFAULT_ROOT, keep=5, rsync=None, settings="publishconf.py"):
    """Strict build into a new release, check it, then switch ROOT/current (and RSYNC's)."""
    from deploy.release import ReleaseError
    from deploy.release import publish as publish_release
    from deploy.signing import key_path_from

    conf = _settings(settings)
    head = c.run("git rev-parse --short HEAD", hide=True, warn=True)
    label = head.stdout.strip() if head.ok and head.stdout.strip() else None

    def build(out: Path):
        with c.cd(str(PROJECT)):
            return c.run(f"pelican content -s {shlex.quote(settings)} -o {shlex.quote(str(out))}")

    try:
        path = publish_release(
            root,
            build,
            keep=int(keep),
            rsync=rsync,
            siteurl=conf.get("SITEURL") or None,
            languages=conf.get("LANGUAGES"),
            label=label,
            signing_key=key_path_from(conf),
        )
    except ReleaseError as exc:
        raise Exit(str(exc), code=1) from None
    print(f"published {path.name}; {root}/current -> releases/{path.name}")


def rollback(c, root=DEFAULT_ROOT, rsync=None):
    """Switch ROOT/current (and RSYNC's) back to the previous release."""
    from deploy.release import ReleaseError
    from deploy.release import rollback as rollback_release

    try:
        path = rollback_release(root, rsync=rsync)
    except ReleaseError as exc:
        raise Exit(str(exc), code=1) from None
    print(f"rolled back: {root}/current -> releases/{path.name}")


def nginx_conf(c, root="/srv/press", output="deploy/nginx.conf", port=80, settings="pelicanconf.py"):
    """Write the nginx configuration for the site's LANGUAGES (serves ROOT/current/)."""
    from deploy.nginx import render_nginx_conf

    conf = _settings(settings)
    from urllib.parse import urlsplit

    mirrors = conf.get("PRESS_MIRRORS") or []
    onions = [m["url"] for m in mirrors if urlsplit(str(m.get("url", ""))).netloc.endswith(".onion")]
    onion = onions[0] if onions else None
    text = render_nginx_conf(conf["LANGUAGES"], conf["DEFAULT_LANG"], root, int(port), onion=onion)
    (PROJECT / output).write_text(text, encoding="utf-8")
    print(f"wrote {output}")


def verify(c, source, key=None, settings="publishconf.py"):
    """Check a copied folder or a mirror (https://…/) against the press's signed manifest."""
    from deploy.verify import VerifyError
    from deploy.verify import verify as verify_copy

    public_key = key if key is not None else (_settings(settings).get("PRESS_SIGNING_PUBLIC_KEY") or "")
    try:
        verdict = verify_copy(source, public_key)
    except VerifyError as exc:
        raise Exit(f"error: {exc}", code=2) from None
    print("\n".join(verdict.lines()))
    if not verdict.ok:
        raise Exit(code=1)


def signing_key(c, path):
    """Make the press's Ed25519 signing key at PATH (outside the repository); print the public key."""
    from deploy.signing import SigningError, fingerprint, generate_key

    if Path(path).resolve().is_relative_to(PROJECT):
        raise Exit(f"error: {path} is inside the repository: keep the private key outside it", code=2)
    try:
        public = generate_key(path)
    except SigningError as exc:
        raise Exit(f"error: {exc}", code=2) from None
    print(f"wrote {path} (keep it secret; publish with PRESS_SIGNING_KEY={path})")
    print(f'put in pelicanconf.py: PRESS_SIGNING_PUBLIC_KEY = "{public}"')
    print(f"fingerprint: {fingerprint(public)}")
