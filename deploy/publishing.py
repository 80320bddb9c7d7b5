"""What ``invoke publish`` and ``python -m deploy.release publish`` share.

Both publish the project's content with the same defaults: the strict build run
by the Python of the environment the command was started from
(``sys.executable -m pelican``, never a ``pelican`` found on ``PATH``), the
settings of ``publishconf.py``, and the site's real address, which a publish
cannot go without (``--siteurl``, the environment variable ``PRESS_SITEURL``, or
``SITEURL`` in the settings file, in that order).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from deploy.release import RELEASES, ReleaseError, publish, release_states, rollback
from deploy.schedule import clock_now, read_notes
from deploy.signing import key_path_from
from press.parallel import die_with_parent
from press.settings import public_key_problem, site_url_problem

PROJECT = Path(__file__).resolve().parent.parent
#: Where releases live and ``current`` points (nginx serves ROOT/current/).
DEFAULT_ROOT = os.environ.get("PRESS_DEPLOY_ROOT", "/srv/press")
DEFAULT_SETTINGS = "publishconf.py"
DEFAULT_KEEP = 5


def settings_path(settings: str | os.PathLike[str] | None) -> Path:
    """A settings file given by the user, relative to where they stand; default the project's."""
    if settings is None:
        return PROJECT / DEFAULT_SETTINGS
    return Path(os.getcwd(), settings)


def read_project_settings(settings: str | os.PathLike[str] | None = None) -> dict:
    """Pelican's settings from ``settings`` (raises ReleaseError if it cannot be read)."""
    from pelican.settings import read_settings

    path = settings_path(settings)
    if not path.is_file():
        raise ReleaseError(f"there is no settings file {path}")
    try:
        return read_settings(str(path))
    except SyntaxError as exc:
        raise ReleaseError(
            f"the settings file {path} is not valid Python (line {exc.lineno}: {exc.msg}): correct it"
        ) from None
    except Exception as exc:  # whatever the file's code raises: one line, not a traceback
        raise ReleaseError(
            f"the settings file {path} cannot be read ({type(exc).__name__}: {exc}): correct it"
        ) from None


def resolve_siteurl(given: str | None, settings: dict) -> str:
    """The site's real address: ``given``, else PRESS_SITEURL, else the settings' SITEURL."""
    siteurl = given or os.environ.get("PRESS_SITEURL") or settings.get("SITEURL") or ""
    problem = site_url_problem(siteurl)
    if problem:
        raise ReleaseError(
            f"publish needs the site's real address and {problem}: pass --siteurl https://…, "
            "or set PRESS_SITEURL=https://… in the environment, or SITEURL in publishconf.py"
        )
    return siteurl.strip().rstrip("/")


def git_label(folder: Path = PROJECT) -> str | None:
    """The short hash of the checked-out commit, for the release id (None outside git)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    label = result.stdout.strip()
    if result.returncode != 0 or not label:
        return None
    # content, theme or settings that differ from the commit must not pass for it
    changes = subprocess.run(
        ["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True, check=False
    )
    return f"{label}-modified" if changes.returncode != 0 or changes.stdout.strip() else label


@dataclass
class PelicanBuild:
    """``python -m pelican CONTENT -s SETTINGS -o OUT -e SITEURL=…`` with this environment's Python.

    It is incremental: ``deploy.release.publish`` gives it the same folder (``work/``) every
    time, the output folder is not emptied first, and the press (with the settings'
    ``CACHE_PATH``) rewrites only the pages whose inputs changed.
    """

    content: str
    settings: Path
    siteurl: str
    incremental: bool = True

    def argv(self, out: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pelican",
            self.content,
            "-s",
            str(self.settings),
            "-o",
            str(out),
            "-e",  # one -e for both: a second one would replace the first
            f"SITEURL={json.dumps(self.siteurl)}",
            # publishconf.py empties the output folder; work/ keeps what did not change
            f"DELETE_OUTPUT_DIRECTORY={json.dumps(not self.incremental)}",
        ]

    def __call__(self, out: Path) -> int:
        return subprocess.run(self.argv(out), cwd=PROJECT, check=False, preexec_fn=die_with_parent).returncode


def publish_project(
    root: str | os.PathLike[str] = DEFAULT_ROOT,
    *,
    keep: int = DEFAULT_KEEP,
    rsync: str | None = None,
    siteurl: str | None = None,
    settings: str | os.PathLike[str] | None = None,
    label: str | None = None,
    build_fn=None,
    check_options: dict | None = None,
    now=None,
    clean: bool = False,
) -> Path:
    """Build the project's content strictly and publish it as a new release under ``root``.

    ``now`` (a UTC datetime) dates the release (``deploy.schedule``); default: the build's
    "now", ``SOURCE_DATE_EPOCH`` when it is set, else the clock (as ``invoke publish``).
    """
    if now is None:
        now = clock_now().replace(tzinfo=dt.UTC)
    conf = read_project_settings(settings)
    url = resolve_siteurl(siteurl, conf)
    public_key = conf.get("PRESS_SIGNING_PUBLIC_KEY") or ""
    problem = public_key_problem(public_key)
    if problem:
        raise ReleaseError(f"setting PRESS_SIGNING_PUBLIC_KEY = {public_key!r} is not valid: {problem}")
    build = build_fn or PelicanBuild(str(conf["PATH"]), settings_path(settings), url)
    return publish(
        Path(os.getcwd(), root),
        build,
        keep=keep,
        rsync=rsync,
        siteurl=url,
        languages=conf.get("LANGUAGES"),
        label=label or git_label(),
        check_options=check_options,
        now=now,
        signing_key=key_path_from(conf),
        public_key=public_key,
        clean=clean,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.release", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_publish = sub.add_parser(
        "publish",
        help="build, check, compress and switch current",
        description="Publish the project's content as invoke publish does (the same defaults).",
    )
    p_publish.add_argument("root", nargs="?", default=DEFAULT_ROOT)
    p_publish.add_argument(
        "--build",
        help="another build command; {out} is the release folder "
        "(default: this Python's pelican with the settings file)",
    )
    p_publish.add_argument("--settings", help="settings file (default: the project's publishconf.py)")
    p_publish.add_argument("--keep", type=int, default=DEFAULT_KEEP)
    p_publish.add_argument("--rsync", help="HOST:PATH (or a local folder) to mirror the release to")
    p_publish.add_argument("--siteurl", help="the site's real address (default: PRESS_SITEURL, SITEURL)")
    p_publish.add_argument("--label", help="short id in the release name (default: git short hash)")
    p_publish.add_argument(
        "--clean", action="store_true", help="build everything again (empty ROOT/work first)"
    )
    p_rollback = sub.add_parser("rollback", help="switch current back to the previous release (or --to ID)")
    p_rollback.add_argument("root", nargs="?", default=DEFAULT_ROOT)
    p_rollback.add_argument("--rsync")
    p_rollback.add_argument("--to", help="the id of the release to go to")
    p_list = sub.add_parser("list", help="list releases with their state (* marks current)")
    p_list.add_argument("root", nargs="?", default=DEFAULT_ROOT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        if args.command == "publish":
            given = shlex.split(args.build) if args.build else None

            def run_given_build(out: Path) -> int:
                command = [part.replace("{out}", str(out)) for part in given]
                return subprocess.run(command, check=False).returncode

            path = publish_project(
                args.root,
                keep=args.keep,
                rsync=args.rsync,
                siteurl=args.siteurl,
                settings=args.settings,
                label=args.label,
                build_fn=run_given_build if given else None,
                clean=args.clean,
            )
            print(f"published {path.name}; {args.root}/current -> releases/{path.name}")
        elif args.command == "rollback":
            path = rollback(Path(os.getcwd(), args.root), rsync=args.rsync, to=args.to)
            print(f"rolled back: {args.root}/current -> releases/{path.name}")
        else:
            print_releases(Path(os.getcwd(), args.root))
    except (ReleaseError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def print_releases(root: Path) -> None:
    states = release_states(root)
    if not states:
        print(f"no releases in {root / RELEASES}")
    notes = read_notes(root)  # why a release was made, when an embargo made it
    for state in states:
        note = notes.get(state.name)
        print(f"{state.line()}  [{note}]" if note else state.line())
