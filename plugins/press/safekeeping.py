"""Keeping a copy of a file before a tool replaces it, and what git knows about its history.

No task may destroy work: before a tool rewrites an original, or any file whose text is
not committed as it stands, a copy is kept beside it (``it.md.20261206-115400.orig``).
The copy is an editor's leftover to the build (an ``unsafe-file`` problem), so it is never
published and is noticed until it is removed.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess


def git(folder: str, *args: str) -> str | None:
    """``git args`` run in ``folder``: its output, or None outside git or when it fails."""
    try:
        result = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=True, timeout=60
        )
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return result.stdout


def committed_as_is(path: str) -> bool:
    """Whether git holds ``path`` exactly as it is on disk (tracked, not modified, not ignored)."""
    folder, name = os.path.split(os.path.abspath(path))
    if git(folder, "ls-files", "--error-unmatch", "--", name) is None:
        return False
    changes = git(folder, "status", "--porcelain", "--ignored", "--", name)
    return changes is not None and changes.strip() == ""


def keep_copy(path: str, now: datetime.datetime | None = None) -> str:
    """Copy ``path`` beside itself under a name the build treats as a leftover; return the copy's path."""
    now = now or datetime.datetime.now(datetime.UTC)
    base = f"{path}.{now:%Y%m%d-%H%M%S}"
    copy, number = f"{base}.orig", 1
    while os.path.lexists(copy):
        number += 1
        copy = f"{base}-{number}.orig"
    shutil.copy2(path, copy)
    return copy


def keep_copy_if_unsaved(path: str, *, always: bool = False) -> str | None:
    """Before ``path`` is replaced: a copy of it unless git holds it as it is (``always``: in any case)."""
    if not os.path.isfile(path):
        return None
    if not always and committed_as_is(path):
        return None
    return keep_copy(path)


def linked_file_refusal(path: str) -> str | None:
    """Why a tool must not write ``path``, or None: writing through a symbolic link could change
    (and keeping a copy would read) a file anywhere on the machine."""
    if os.path.islink(path):
        return (
            f"{path} is a symbolic link (to {os.readlink(path)}): the press writes no file through a "
            "link; remove the link, then run the command again"
        )
    return None


def kept_line(path: str, copy: str, in_content: bool = True) -> str:
    """The one line a task prints about a copy it kept (``in_content``: under content/)."""
    line = f"kept the previous {path} as {copy}: take back what you need from it, then remove it"
    return line + (" (builds report it as a leftover until then)" if in_content else "")
