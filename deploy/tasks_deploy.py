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

import logging
import os
from datetime import UTC
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
    "siteurl": "the address the site was built for, e.g. https://press.example.org (default: SITEURL)",
}


def check(c, output=None, settings=None, fragments=False, vnu=True, siteurl=None):
    """Check a built site folder: links, feeds, foreign resources, placeholders, HTML."""
    from deploy.check import check_site

    conf = _settings(settings)
    folder = user_path(output) if output else PROJECT / "output"
    if not folder.is_dir():
        raise Exit(f"error: there is no folder {folder}: build the site first (invoke build)", code=1)
    failures = check_site(
        folder,
        siteurl=siteurl or os.environ.get("PRESS_SITEURL") or conf.get("SITEURL") or None,
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
    "when-due": "publish only if an Embargo has ended since the current release (a timer runs this "
    "every minute: docs/deployment.md)",
    "clean": "build everything again: empty ROOT/work first (a file the content no longer has, such as "
    "a removed attachment, leaves it)",
}


def show_progress() -> None:
    """Print what a publish is doing (building, what changed, checking, compressing) on stderr,
    one line a step, so that a long check is never silent."""
    deploy_logger = logging.getLogger("deploy")
    if not deploy_logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        deploy_logger.addHandler(handler)
    if deploy_logger.getEffectiveLevel() > logging.INFO:
        deploy_logger.setLevel(logging.INFO)


def publish(
    c,
    root=DEFAULT_ROOT,
    keep=DEFAULT_KEEP,
    rsync=None,
    siteurl=None,
    settings=None,
    when_due=False,
    clean=False,
):
    """Strict build into a new release, check it, then switch ROOT/current (and RSYNC's)."""
    from deploy.publishing import publish_project
    from deploy.release import ReleaseError

    show_progress()

    def publish_now(now=None):
        return publish_project(
            user_path(root),
            keep=int(keep),
            rsync=rsync,
            siteurl=siteurl,
            settings=user_path(settings) if settings else None,
            now=now,
            clean=clean,
        )

    try:
        if when_due:
            from deploy import schedule

            path, due = schedule.publish_when_due(
                user_path(root), _coming(settings), lambda now: publish_now(now.replace(tzinfo=UTC))
            )
            if path is None:
                print("nothing due: no embargo has ended since the current release")
                return
            print(f"released for the {schedule.describe(due)}")
        else:
            from deploy.schedule import clock_now

            # the build's "now" (SOURCE_DATE_EPOCH when set) dates the release too, so that
            # publish --when-due compares embargoes with the instant the current release showed
            path = publish_now(clock_now().replace(tzinfo=UTC))
    except (ReleaseError, ValueError) as exc:
        raise Exit(f"error: {exc}", code=1) from None
    except OSError as exc:
        raise Exit(f"error: {exc}", code=1) from None
    print(f"published {path.name}; {root}/current -> releases/{path.name}")


def _coming(settings: str | None) -> list:
    """The embargoes of the project's content (deploy.schedule)."""
    from deploy import schedule

    conf = _settings(settings)
    return schedule.read_schedule(conf["PATH"], list(conf.get("LANGUAGES") or []))


SCHEDULE_HELP = {
    "settings": "settings file (default: the project's publishconf.py)",
    "timer": "write press-publish.service and press-publish.timer for this project into this folder "
    "(then copy them to /etc/systemd/system/: docs/deployment.md)",
    "root": f"with --timer: the deploy root it publishes to (default: $PRESS_DEPLOY_ROOT or {DEFAULT_ROOT})",
}


def schedule(c, settings=None, timer=None, root=DEFAULT_ROOT):
    """The coming releases (each Embargo) per key and language, and what is not ready for them."""
    import sys

    from deploy import schedule as clock
    from press.files import atomic_write

    if timer:
        folder = user_path(timer)
        invoke = Path(sys.executable).with_name("invoke")
        for name, text in clock.timer_files(str(PROJECT), str(user_path(root)), str(invoke)).items():
            atomic_write(folder / name, text)
            print(f"wrote {folder / name}")
        return
    for line in clock.schedule_lines(_coming(settings), clock.clock_now()):
        print(line)


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
    from deploy.publishing import print_releases

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
    from press.settings import mirrors_problem

    conf = _settings(settings or str(PROJECT / "pelicanconf.py"))
    from urllib.parse import urlsplit

    mirrors = conf.get("PRESS_MIRRORS") or []
    problem = mirrors_problem(mirrors)
    if problem:  # an onion address reaches a header of every response
        raise Exit(f"error: setting PRESS_MIRRORS is not valid ({problem})", code=2)
    onions = [m["url"] for m in mirrors if urlsplit(str(m.get("url", ""))).netloc.endswith(".onion")]
    text = render_nginx_conf(
        conf["LANGUAGES"], conf["DEFAULT_LANG"], root, int(port), onion=onions[0] if onions else None
    )
    target = user_path(output) if output else PROJECT / "deploy" / "nginx.conf"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")


VERIFY_HELP = {
    "source": "a copied folder of the site, or a mirror's address (https://…/)",
    "key": "the press's public key in base64 (default: PRESS_SIGNING_PUBLIC_KEY of the settings)",
    "key-file": "a file holding the press's public key (a press-signing-key.pub you trust)",
    "allow-unsigned": "compare the files with an unsigned manifest, or without a key: authenticates nothing",
    "settings": "settings file for PRESS_SIGNING_PUBLIC_KEY (default: the project's publishconf.py)",
    "deadline": "seconds a mirror's whole verification may take (default 1800)",
    "timeout": "seconds one read from a mirror may wait (default 30)",
}


def verify(
    c, source, key=None, key_file=None, allow_unsigned=False, settings=None, deadline=1800, timeout=30
):
    """Check a copied folder or a mirror against the press's signed manifest; name every difference."""
    from deploy.verify import Limits, is_url, run

    def settings_key() -> str:
        # only the key is read: Pelican's warnings about feeds and time zones are not verify's
        quiet = logging.getLogger("pelican.settings")
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            value = _settings(settings).get("PRESS_SIGNING_PUBLIC_KEY") or ""
        finally:
            quiet.setLevel(level)
        return value if isinstance(value, str) else repr(value)

    try:
        limits = Limits(read_timeout=float(timeout), deadline=float(deadline))
    except ValueError:
        raise Exit("error: --deadline and --timeout are numbers of seconds", code=2) from None
    status = run(
        source if is_url(source) else str(user_path(source)),
        key=key,
        key_file=str(user_path(key_file)) if key_file else None,
        settings_key=settings_key,
        allow_unsigned=allow_unsigned,
        limits=limits,
    )
    if status:
        raise Exit(code=status)


SIGNING_KEY_HELP = {"path": "where to write the private key: a file outside the repository"}


def signing_key(c, path):
    """Make the press's Ed25519 signing key at PATH (outside the repository); print the public key."""
    from deploy.signing import SigningError, fingerprint, generate_key

    target = user_path(path)
    if target.resolve().is_relative_to(PROJECT):
        raise Exit(f"error: {path} is inside the repository: keep the private key outside it", code=2)
    try:
        public = generate_key(target)
    except SigningError as exc:
        raise Exit(f"error: {exc}", code=2) from None
    print(f"wrote {target} (keep it secret; publish with PRESS_SIGNING_KEY={target})")
    print(f'put in pelicanconf.py: PRESS_SIGNING_PUBLIC_KEY = "{public}"')
    print(f"fingerprint: {fingerprint(public)}")
