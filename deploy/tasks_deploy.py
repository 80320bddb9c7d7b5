"""Invoke tasks for deployment, as plain functions taking the invoke context ``c``.

tasks.py wraps them with their help texts, e.g.::

    from invoke import task
    from deploy import tasks_deploy

    publish = task(tasks_deploy.publish, help=tasks_deploy.PUBLISH_HELP)

Expected failures end with invoke's ``Exit`` (a message and status 1, no traceback).
Paths given by the user are taken relative to the folder the command was started
in (:func:`user_path`), even though tasks.py works from the project folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from invoke.exceptions import Exit

from deploy.publishing import DEFAULT_KEEP, DEFAULT_ROOT, PROJECT, read_project_settings

#: The folder the user started invoke in (tasks.py then moves to the project folder).
INVOKED_FROM = os.getcwd()


def user_path(path: str | os.PathLike[str]) -> Path:
    """A path the user typed, relative to where they stand."""
    return Path(INVOKED_FROM, os.path.expanduser(str(path)))


def _settings(settings: str | None) -> dict:
    from deploy.release import ReleaseError

    try:
        return read_project_settings(user_path(settings) if settings else None)
    except ReleaseError as exc:
        raise Exit(f"error: {exc}", code=1) from None


CHECK_HELP = {
    "output": "the built site folder to check (default: the project's output/)",
    "settings": "settings file for SITEURL and LANGUAGES (default: the project's publishconf.py)",
    "fragments": "also check that #fragments of internal links exist",
    "vnu": "validate the HTML with the Nu checker (--no-vnu skips it; publishing always validates)",
}


def check(c, output=None, settings=None, fragments=False, vnu=True):
    """Check a built site folder: links, feeds, foreign resources, placeholders, HTML."""
    from deploy.check import check_site

    conf = _settings(settings)
    folder = user_path(output) if output else PROJECT / "output"
    if not folder.is_dir():
        raise Exit(f"error: there is no folder {folder}: build the site first (invoke build)", code=1)
    failures = check_site(
        folder,
        siteurl=os.environ.get("PRESS_SITEURL") or conf.get("SITEURL") or None,
        languages=conf.get("LANGUAGES"),
        check_fragments=fragments,
        validate_html=vnu,
    )
    for failure in failures:
        print(failure)
    if failures:
        raise Exit(f"{len(failures)} failure(s) in {folder}", code=1)
    print(f"{folder}: no failures")


PUBLISH_HELP = {
    "root": f"the deploy root holding releases/ and current (default: $PRESS_DEPLOY_ROOT or {DEFAULT_ROOT})",
    "keep": f"how many releases to keep (default {DEFAULT_KEEP}; current and previous always stay)",
    "rsync": "HOST:PATH (or a local folder) to mirror the release to",
    "siteurl": "the site's real address, e.g. https://press.example.org (default: $PRESS_SITEURL, SITEURL)",
    "settings": "settings file (default: the project's publishconf.py)",
}


def publish(c, root=DEFAULT_ROOT, keep=DEFAULT_KEEP, rsync=None, siteurl=None, settings=None):
    """Strict build into a new release, check it, then switch ROOT/current (and RSYNC's)."""
    from deploy.publishing import publish_project
    from deploy.release import ReleaseError

    try:
        path = publish_project(
            user_path(root),
            keep=int(keep),
            rsync=rsync,
            siteurl=siteurl,
            settings=user_path(settings) if settings else None,
        )
    except (ReleaseError, ValueError) as exc:
        raise Exit(f"error: {exc}", code=1) from None
    except OSError as exc:
        raise Exit(f"error: {exc}", code=1) from None
    print(f"published {path.name}; {root}/current -> releases/{path.name}")


ROLLBACK_HELP = {
    "root": f"the deploy root (default: $PRESS_DEPLOY_ROOT or {DEFAULT_ROOT})",
    "rsync": "HOST:PATH (or a local folder) whose current to switch too",
    "to": "the id of the release to go to (invoke releases lists them); default: the previous one",
}


def rollback(c, root=DEFAULT_ROOT, rsync=None, to=None):
    """Switch ROOT/current (and RSYNC's) back to the previous release, or to --to ID."""
    from deploy.release import ReleaseError
    from deploy.release import rollback as rollback_release

    folder = user_path(root)
    try:
        path = rollback_release(folder, rsync=rsync, to=to)
    except ReleaseError as exc:
        raise Exit(f"error: {exc}", code=1) from None
    print(f"rolled back: {root}/current -> releases/{path.name}")


RELEASES_HELP = {"root": f"the deploy root (default: $PRESS_DEPLOY_ROOT or {DEFAULT_ROOT})"}


def releases(c, root=DEFAULT_ROOT):
    """List the releases, each checked against its manifest: whole, damaged, failed; current, previous."""
    from deploy.release import print_releases

    print_releases(user_path(root))


NGINX_CONF_HELP = {
    "root": "the deploy root nginx serves ROOT/current/ from (default /srv/press)",
    "output": "where to write the configuration (default: the project's deploy/nginx.conf)",
    "port": "the port nginx listens on (default 80)",
    "settings": "settings file for LANGUAGES and DEFAULT_LANG (default: the project's pelicanconf.py)",
}


def nginx_conf(c, root="/srv/press", output=None, port=80, settings=None):
    """Write the nginx configuration for the site's LANGUAGES (serves ROOT/current/)."""
    from deploy.nginx import render_nginx_conf

    conf = _settings(settings or str(PROJECT / "pelicanconf.py"))
    text = render_nginx_conf(conf["LANGUAGES"], conf["DEFAULT_LANG"], root, int(port))
    target = user_path(output) if output else PROJECT / "deploy" / "nginx.conf"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
