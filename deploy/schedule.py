"""Releases on the newsroom's clock: ``invoke publish --when-due`` and ``invoke schedule``.

An original's ``Embargo`` holds its key out of every publishing build until an
instant (contract §3).  Nothing publishes it at that instant by itself: a timer
(``deploy/press-publish.timer``, or a cron line) runs ``invoke publish
--when-due`` every minute, and that makes a release only when an embargo has
passed since the release that is current, so the key appears in every edition
at once and a minute's run that finds nothing due does nothing.

The time of a release is the time in its id (``deploy.release``: the UTC time of
the publish).  "Now" is ``SOURCE_DATE_EPOCH`` when it is set, so that a release
made for an embargo is reproducible, and the release then carries that instant.
A release made for an embargo is noted in ``ROOT/release-notes.json`` (outside
every release: notes name keys, and nothing of a key may be served before its
instant), which ``invoke releases`` shows beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from press.files import atomic_write

NOTES_FILE = "release-notes.json"


@dataclass(frozen=True)
class Coming:
    """One embargoed key: when it is released, in which editions, and what is not ready for it."""

    kind: str
    key: str
    instant: dt.datetime  # UTC, without a zone (the press's clock)
    editions: tuple[str, ...]
    titles: dict[str, str] = field(default_factory=dict)  # lang -> title of the version ready
    not_ready: dict[str, list[str]] = field(default_factory=dict)  # lang -> what is wrong

    @property
    def ready(self) -> bool:
        return not self.not_ready


def clock_now() -> dt.datetime:
    """Now, in UTC without a zone: ``SOURCE_DATE_EPOCH`` when it is set (reproducible releases)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH = {epoch!r} is not whole seconds since 1970") from None
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def release_time(release_id: str) -> dt.datetime | None:
    """The UTC time in a release id (``20260621T100000.000000Z-3fa2c1``), or None."""
    try:
        return dt.datetime.strptime(release_id.split("Z-", 1)[0], "%Y%m%dT%H%M%S.%f")
    except ValueError:
        return None


def read_schedule(content: str | os.PathLike[str], languages: list[str]) -> list[Coming]:
    """Every key of ``content`` with an Embargo, soonest first, with what is not ready for it.

    "Ready" is what the publishing build asks of the key at its instant: every
    edition's version there, translated and in step; each problem the checks find
    for the key is listed under its language.
    """
    from press.content import newsroom
    from press.content.terms import read_terms
    from press.content.tree import scan_tree
    from press.problems import ProblemCollector
    from press.translation.parity import ParityChecker

    problems = ProblemCollector()
    tree = scan_tree(str(content), list(languages), problems)
    embargoed = []
    for group in tree.groups.values():
        instant = newsroom.embargo_of(group, tree.languages)
        if instant is not None:
            embargoed.append((group, instant))
    found: list[Coming] = []
    for group, instant in embargoed:
        # the checks as the build at that instant makes them (a correction's grace, placements)
        checker_problems = ProblemCollector()
        ParityChecker(
            tree, checker_problems, now=instant, terms=read_terms(str(content)), published=list(languages)
        ).check_group(group)
        not_ready: dict[str, list[str]] = {}
        for problem in checker_problems:
            if problem.key == group.key:
                not_ready.setdefault(problem.lang or "-", []).append(problem.kind)
        editions = tuple(group.editions(tree.languages))
        titles = {lang: group.versions[lang].title for lang in editions if lang in group.versions}
        found.append(Coming(group.kind, group.key, instant, editions, titles, not_ready))
    return sorted(found, key=lambda coming: (coming.instant, coming.kind, coming.key))


def due_since(comings: list[Coming], since: dt.datetime | None, now: dt.datetime) -> list[Coming]:
    """The embargoes that ended after ``since`` (the current release; None: ever) and by ``now``."""
    return [c for c in comings if c.instant <= now and (since is None or c.instant > since)]


def describe(comings: list[Coming]) -> str:
    return "embargo of " + ", ".join(f"{c.kind}/{c.key} ({c.instant:%Y-%m-%d %H:%M:%S} UTC)" for c in comings)


def read_notes(root: str | os.PathLike[str]) -> dict[str, str]:
    path = Path(root) / NOTES_FILE
    try:
        notes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {}


def write_note(root: str | os.PathLike[str], release_id: str, note: str) -> None:
    notes = read_notes(root)
    notes[release_id] = note
    atomic_write(Path(root) / NOTES_FILE, json.dumps(notes, indent=1, sort_keys=True) + "\n")


def release_note(root: str | os.PathLike[str], release_id: str) -> str | None:
    """Why a release was made, when it was made for an embargo (``invoke releases``)."""
    return read_notes(root).get(release_id)


def publish_when_due(
    root: str | os.PathLike[str],
    comings: list[Coming],
    publish: Callable[[dt.datetime], Path],
    *,
    now: dt.datetime | None = None,
) -> tuple[Path | None, list[Coming]]:
    """Publish (``publish(now)``, which returns the release) if an embargo has passed since the
    current release; else nothing.  Returns the release made (or None) and the embargoes it released."""
    from deploy.release import current_release

    now = now or clock_now()
    current = current_release(root)
    since = release_time(current) if current else None
    due = due_since(comings, since, now)
    if not due:
        return None, []
    path = publish(now)
    write_note(root, path.name, describe(due))
    return path, due


def schedule_lines(comings: list[Coming], now: dt.datetime) -> list[str]:
    """What ``invoke schedule`` prints: coming releases per key and language, and what is not ready."""
    coming = [c for c in comings if c.instant > now]
    if not coming:
        return ["no embargo to come: nothing is scheduled"]
    lines = []
    for c in coming:
        state = "ready" if c.ready else "NOT READY: the publishing build at that instant would fail"
        lines.append(f"{c.instant:%Y-%m-%d %H:%M:%S} UTC  {c.kind}/{c.key}  {state}")
        for lang in c.editions:
            title = c.titles.get(lang)
            wrong = c.not_ready.get(lang)
            text = f"    {lang}: {title!r}" if title else f"    {lang}: (no version)"
            lines.append(f"{text}  {'; '.join(sorted(set(wrong))) if wrong else 'ready'}")
        for lang, wrong in sorted(c.not_ready.items()):
            if lang not in c.editions:
                lines.append(f"    {lang}: {'; '.join(sorted(set(wrong)))}")
    return lines


# -- the timer ---------------------------------------------------------------------------

SERVICE = """\
[Unit]
Description=Publish the press when an embargo has passed (invoke publish --when-due)
After=network-online.target

[Service]
Type=oneshot
User={user}
WorkingDirectory={project}
Environment=PRESS_DEPLOY_ROOT={root}
# The site's address and signing key, unless publishconf.py and the environment give them:
# Environment=PRESS_SITEURL=https://press.example.org
# Environment=PRESS_SIGNING_KEY=/etc/press/signing-key
ExecStart={invoke} publish --when-due --root {root}
"""

TIMER = """\
[Unit]
Description=Run the press's release on the minute an embargo ends

[Timer]
OnCalendar=*-*-* *:*:00
AccuracySec=1s
Persistent=true
Unit=press-publish.service

[Install]
WantedBy=timers.target
"""

CRON = "* * * * * cd {project} && {invoke} publish --when-due --root {root} >> {root}/when-due.log 2>&1"


def timer_files(project: str, root: str, invoke: str, user: str = "press") -> dict[str, str]:
    """The systemd service and timer (file name -> text) that run ``publish --when-due`` every minute."""
    return {
        "press-publish.service": SERVICE.format(project=project, root=root, invoke=invoke, user=user),
        "press-publish.timer": TIMER,
    }


def cron_line(project: str, root: str, invoke: str) -> str:
    return CRON.format(project=project, root=root, invoke=invoke)
