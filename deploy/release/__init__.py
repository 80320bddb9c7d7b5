"""Publish a checked build as a new release; switch ``current`` atomically; roll back.

Layout of a deploy root (nginx serves ``ROOT/current/``)::

    ROOT/
      current -> releases/20260101T120000.000000Z-3fa2c1   (relative symlink)
      history                 ids that have been current, oldest first
      releases/
        20251231T090000.000000Z-9b8e77/
        20260101T120000.000000Z-3fa2c1/
        failed-20260101T130000.000000Z-77aa01/   a build or check that failed
      .lock                   held while publishing or rolling back

``publish(root, build_fn)``:

0. removes what killed publishes left behind (``releases/.incoming-*``,
   ``releases/.trash-*``, temporary symlinks and history files);
1. builds by calling ``build_fn(path)`` (the strict ``pelican content -s
   publishconf.py -o <path>``): an incremental build (``build_fn.incremental``,
   the press's) into ``ROOT/work/``, the same folder every publish, and then
   makes ``releases/.incoming-<id>/`` from the current release
   (:func:`follow_previous`: a file with the same bytes is a hard link to the
   current release's, any other a new copy; no file of a live release is ever
   written); any other build straight into ``releases/.incoming-<id>/``. The
   release id is the UTC time of the publish (to the microsecond, so ids sort
   in publish order) and a short label (a git short hash, or random): every
   publish makes a new release, even when its bytes equal the previous one's;
2. runs :func:`deploy.check.check_site` on the files that changed since the
   current release (on every file for a first release, or when the checker
   changed: ``publish-state.json`` records each release's checker);
3. writes a ``.gz`` copy beside every changed text file (html, css, js, xml,
   json, txt, svg…; the unchanged ones keep the current release's, linked):
   gzip level 9, mtime 0, no file name in the header, so the same input gives
   byte-identical copies; nginx serves them with ``gzip_static``;
4. writes the release manifest (:mod:`deploy.manifest`: every file, the
   ``.gz`` copies included, with its size and SHA-256) at the site root;
5. renames it ``releases/<id>/`` and checks it against its manifest (a
   release that does not match is never switched to); with ``rsync="HOST:PATH"`` (or a local
   folder) uploads it to ``PATH/releases/<id>/`` and switches the remote
   ``PATH/current`` with one ``ln -sfn … && mv -T …`` command;
6. switches ``ROOT/current`` (a temporary symlink renamed over it with
   :func:`os.replace`, atomic), records the id in ``history``;
7. keeps the ``keep`` newest releases, and always the current one and the
   previous one (the rollback target); the same ids go on the remote side.
   A release is removed by renaming it ``releases/.trash-<id>`` first, so a
   publish killed while pruning never leaves half a release listed.

If the build or a check fails, ``current`` (local and remote) is untouched:
the release folder is renamed ``releases/failed-<id>/`` for inspection (the
three newest failed ones are kept) and :class:`ReleaseError` says why, with
the file and link of every check failure.

``rollback(root)`` switches ``current`` back to the release that was current
before it (per ``history``); a second rollback goes one further back;
``rollback(root, to=ID)`` goes to a named release. A release that does not
match its manifest is refused: ``current`` stays as it was and the error names
the files that differ.

For tests, ``PRESS_RELEASE_KILL_AT=<step>`` makes the publishing process kill
itself with SIGKILL at that step (see :data:`STEPS`), to prove that a publish
killed anywhere leaves ``current`` and every listed release whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gzip
import json
import logging
import os
import re
import secrets
import shlex
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deploy.check import Failure, check_site, checker_version, format_failures
from deploy.checksums import write_checksums
from deploy.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Entry,
    ManifestError,
    check_folder,
    read_manifest,
    sha256_file,
    write_manifest,
)
from deploy.signing import SigningError, check_key_pair, key_path_from, load_signing_key, sign_release
from press.files import atomic_write

logger = logging.getLogger(__name__)

RELEASES = "releases"
CURRENT = "current"
HISTORY = "history"
LOCK = ".lock"
FAILED_PREFIX = "failed-"
INCOMING_PREFIX = ".incoming-"
TRASH_PREFIX = ".trash-"
#: The folder an incremental build (the press's) writes into, publish after publish; never served.
WORK = "work"
#: Present while a build writes into ``work/``: a build cut off there leaves it for a clean one.
WORK_UNFINISHED = "work.unfinished"
#: What the next publish compares with: ``work/`` as a release was made from it, and the
#: check each release passed (:func:`deploy.check.checker_version`).
STATE = "publish-state.json"
#: Pre-compressed copies of a text file, made again only when the file changed.
COPY_SUFFIXES = (".gz", ".br")
KEEP_FAILED = 3
#: The steps of a publish, in order; ``PRESS_RELEASE_KILL_AT`` names one (tests).
STEPS = (
    "clean",
    "build",
    "check",
    "compress",
    "manifest",
    "rename",
    "verify",
    "switch",
    "history",
    "prune-rename",
    "prune-history",
    "prune-delete",
)
KILL_AT_ENV = "PRESS_RELEASE_KILL_AT"
#: Text files that get a pre-compressed ``.gz`` copy.
COMPRESS_SUFFIXES = frozenset(
    {".html", ".htm", ".css", ".js", ".mjs", ".xml", ".json", ".txt", ".svg", ".map", ".webmanifest"}
)
#: How many check failures the error message lists (the error object has them all).
MESSAGE_FAILURES = 100

_RELEASE_ID_RE = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[A-Za-z0-9._-]+\Z")
_LABEL_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}\Z")
_REMOTE_RE = re.compile(r"^([^/:]+):(.*)$")


class ReleaseError(Exception):
    """A publish or rollback that did not happen, and why (no traceback needed)."""

    def __init__(self, message: str, failures: list[Failure] | None = None) -> None:
        super().__init__(message)
        self.failures = list(failures or [])


BuildFn = Callable[[Path], Any]


def _step(name: str) -> None:
    """Mark a step of a publish; a test can have the process killed right here."""
    logger.debug("release step: %s", name)
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def new_release_id(label: str | None = None, now: dt.datetime | None = None) -> str:
    """``<UTC time to the microsecond>Z-<label>``; ids sort in publish order."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    label = label or secrets.token_hex(3)
    if not _LABEL_RE.match(label):
        raise ValueError(f"release label must match {_LABEL_RE.pattern}, not {label!r}")
    return f"{now:%Y%m%dT%H%M%S}.{now.microsecond:06d}Z-{label}"


def is_release_id(name: str) -> bool:
    return bool(_RELEASE_ID_RE.match(name))


def list_releases(root: str | os.PathLike[str]) -> list[str]:
    """The ids of the complete releases under ``root``, oldest first."""
    folder = Path(root) / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_release_id(p.name))


def verify_release(root: str | os.PathLike[str], release_id: str) -> str | None:
    """Why ``releases/<id>`` is not whole (differs from its manifest), or None when it is."""
    folder = Path(root) / RELEASES / release_id
    if not folder.is_dir():
        return f"there is no release {release_id} in {Path(root) / RELEASES}"
    try:
        differences = check_folder(folder)
    except ManifestError as error:
        return f"it has no readable {MANIFEST_NAME} ({error}), so it cannot be proved whole"
    if not differences:
        return None
    shown = ", ".join(str(d) for d in differences[:5])
    more = f" and {len(differences) - 5} more" if len(differences) > 5 else ""
    return f"{len(differences)} file(s) differ from its {MANIFEST_NAME} ({shown}{more})"


def current_release(root: str | os.PathLike[str]) -> str | None:
    """The id ``root/current`` points to, or None."""
    link = Path(root) / CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def read_history(root: str | os.PathLike[str]) -> list[str]:
    path = Path(root) / HISTORY
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.strip() for line in lines if is_release_id(line.strip())]


def _write_history(root: Path, ids: list[str]) -> None:
    atomic_write(root / HISTORY, "".join(f"{i}\n" for i in ids))


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"another publish or rollback holds {root / LOCK}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def switch_current(root: str | os.PathLike[str], release_id: str) -> None:
    """Point ``root/current`` at ``releases/<id>`` atomically (symlink + rename)."""
    root = Path(root)
    if not (root / RELEASES / release_id).is_dir():
        raise ReleaseError(f"no release {release_id} in {root / RELEASES}")
    link = root / CURRENT
    if link.exists() and not link.is_symlink():
        raise ReleaseError(f"{link} is not a symlink: move it away before publishing")
    tmp = root / f".{CURRENT}.tmp-{os.getpid()}-{secrets.token_hex(3)}"
    os.symlink(f"{RELEASES}/{release_id}", tmp)
    try:
        os.replace(tmp, link)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReleaseError(f"cannot switch {link}: {exc.strerror}") from None
    logger.info("current -> %s", release_id)


def precompress(folder: str | os.PathLike[str], only: Iterable[str] | None = None) -> int:
    """Write a deterministic ``.gz`` beside each text file under ``folder``; return the count.

    gzip level 9, header mtime 0 and no file name: identical input, identical bytes.
    The ``.gz`` gets the original's modification time (a new file: never written in place).
    ``only`` (relative paths) limits it to those files, the ones that changed.
    """
    count = 0
    paths = Path(folder).rglob("*") if only is None else (Path(folder, rel) for rel in only)
    for path in sorted(paths):
        if path.suffix.lower() not in COMPRESS_SUFFIXES or path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        target = path.with_name(path.name + ".gz")
        atomic_write(target, gzip.compress(data, compresslevel=9, mtime=0))
        stat = path.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        count += 1
    return count


# -- following the previous release -------------------------------------------------


@dataclass
class Changes:
    """How a new release differs from the one it follows."""

    changed: set[str]  # files that are new or differ (checked and compressed again)
    removed: set[str]  # files of the previous release that this one lacks
    total: int = 0  # files the build wrote or kept

    def describe(self, previous: str | None) -> str:
        if previous is None:
            return f"{self.total} files, the first release"
        return (
            f"{len(self.changed)} of {self.total} files changed since {previous}, {len(self.removed)} removed"
        )


def _stat_key(info: os.stat_result) -> list[int]:
    # ctime cannot be set back (utime), so a file written again always shows it
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _made_by_release(rel: str) -> bool:
    """The manifest and what goes with it (signature, checksum list): a publish writes them anew."""
    return rel in (MANIFEST_NAME, SIGNATURE_NAME) or rel.startswith(f"{Path(MANIFEST_NAME).stem}.")


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s inode (a hard link), or a copy where links are refused."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def read_state(root: Path) -> dict[str, Any]:
    """The record of the last publishes (``publish-state.json``); empty when unreadable."""
    try:
        state = json.loads((root / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def follow_previous(
    built: Path,
    staging: Path,
    previous: Path | None,
    recorded: dict[str, list[int]] | None = None,
) -> tuple[Changes, dict[str, list[int]]]:
    """Fill ``staging`` with what the build wrote in ``built``, starting from ``previous``.

    A file equal to the previous release's (same stat as ``recorded`` when that
    release was made, else the same SHA-256 as its manifest says) is a hard link
    to it, and so are its ``.gz``/``.br`` copies; any other is a new copy (a new
    inode: the live release is never written). With ``built == staging`` (a build
    written into the new release itself), files stay where they are and only the
    comparison is made. Returns the changes and the stat of each file of ``built``.
    """
    in_place = built == staging
    recorded = recorded or {}
    entries: dict[str, Entry] = {}
    if previous is not None:
        try:
            entries = read_manifest(previous)
        except ManifestError as exc:
            logger.warning(
                "release %s cannot be followed (%s): every file counts as changed", previous.name, exc
            )
            previous = None
    changes = Changes(set(), set())
    seen: set[str] = set()
    stats: dict[str, list[int]] = {}
    for folder, dirs, files in os.walk(built):
        dirs.sort()
        rel_dir = os.path.relpath(folder, built)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        names = set(files)
        for name in sorted(dirs) + sorted(files):
            rel = rel_dir + name
            source = Path(folder, name)
            target = staging / rel
            info = source.lstat()
            if stat.S_ISDIR(info.st_mode):
                if not in_place:
                    target.mkdir(exist_ok=True)
                continue
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
                # kept as it is (a link stays a link): the check names it
                if not in_place:
                    if stat.S_ISLNK(info.st_mode):
                        os.symlink(os.readlink(source), target)
                    else:
                        shutil.copy(source, target)
                changes.changed.add(rel)
                continue
            if _made_by_release(rel):
                continue
            seen.add(rel)
            changes.total += 1
            stats[rel] = _stat_key(info)
            entry = entries.get(rel)
            kept = previous / rel if previous is not None else None
            same = (
                entry is not None
                and kept is not None
                and entry.size == info.st_size
                and os.path.isfile(kept)
                and not os.path.islink(kept)
                and (recorded.get(rel) == stats[rel] or sha256_file(source) == entry.sha256)
            )
            if not same:
                changes.changed.add(rel)
                if not in_place:
                    shutil.copy2(source, target)
                continue
            if not in_place:
                _link_or_copy(kept, target)
            for suffix in COPY_SUFFIXES:
                copy = rel + suffix
                if copy in entries and name + suffix not in names and os.path.isfile(previous / copy):
                    (staging / copy).unlink(missing_ok=True)
                    _link_or_copy(previous / copy, staging / copy)
    changes.removed = {
        path
        for path in entries
        if path not in seen
        and not _made_by_release(path)
        and not (path.endswith(COPY_SUFFIXES) and path.rsplit(".", 1)[0] in seen)
    }
    return changes, stats


def _written_since(folder: Path, since_ns: int) -> bool:
    """Whether anything in ``folder`` was written, added or removed since ``since_ns`` (change times)."""
    for current, _dirs, files in os.walk(folder):
        for name in [".", *files]:
            try:
                if os.lstat(os.path.join(current, name)).st_ctime_ns >= since_ns:
                    return True
            except OSError:
                return True
    return False


def _to_compress(staging: Path, changes: Changes, stats: dict[str, list[int]]) -> list[str]:
    """The text files whose ``.gz`` must be made: the changed ones, and any without one."""
    return sorted(
        rel
        for rel in stats
        if Path(rel).suffix.lower() in COMPRESS_SUFFIXES
        and (rel in changes.changed or not (staging / f"{rel}.gz").is_file())
    )


def _build_failed(result: Any) -> str | None:
    """Why a build function's return value means failure, or None."""
    if result is False:
        return "the build function returned False"
    if isinstance(result, int) and not isinstance(result, bool) and result != 0:
        return f"the build exited with status {result}"
    exited = getattr(result, "exited", None)  # invoke.Result with warn=True
    if isinstance(exited, int) and exited != 0:
        return f"the build exited with status {exited}"
    returncode = getattr(result, "returncode", None)  # subprocess.CompletedProcess
    if isinstance(returncode, int) and returncode != 0:
        return f"the build exited with status {returncode}"
    return None


def _set_aside(root: Path, staging: Path, release_id: str) -> Path:
    failed = root / RELEASES / f"{FAILED_PREFIX}{release_id}"
    if staging.exists():
        staging.rename(failed)
    failed_all = sorted(p for p in (root / RELEASES).iterdir() if p.name.startswith(FAILED_PREFIX))
    for old in failed_all[:-KEEP_FAILED]:
        _remove_folder(root, old)
    return failed


def _remove_folder(root: Path, folder: Path) -> None:
    """Rename ``folder`` out of the way (``.trash-…``), then delete it: never half listed."""
    trash = root / RELEASES / f"{TRASH_PREFIX}{folder.name}"
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def clean_leftovers(root: str | os.PathLike[str]) -> list[str]:
    """Remove what killed publishes left behind; return the names removed.

    ``releases/.incoming-*`` (a build that never finished), ``releases/.trash-*``
    (a release being removed), temporary symlinks and files in the root, and
    ``work/`` when a build into it was cut off (``work.unfinished``).
    Called by every publish while it holds the lock.
    """
    root = Path(root)
    removed = []
    releases = root / RELEASES
    if releases.is_dir():
        for path in sorted(releases.iterdir()):
            if path.name.startswith((INCOMING_PREFIX, TRASH_PREFIX)):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(f"{RELEASES}/{path.name}")
    for path in sorted(root.glob(f".{CURRENT}.tmp-*")) + sorted(root.glob(f".{HISTORY}.*tmp*")):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    if (root / WORK_UNFINISHED).exists():
        # a build cut off while writing work/: its files cannot be trusted, the next one starts clean
        shutil.rmtree(root / WORK, ignore_errors=True)
        (root / WORK_UNFINISHED).unlink(missing_ok=True)
        removed.append(WORK)
    if removed:
        logger.info("removed leftovers of an interrupted publish: %s", ", ".join(removed))
    return removed


# -- remote (rsync) ------------------------------------------------------------


class _Target:
    """Where rsync puts releases: ``HOST:PATH`` (over ssh) or a local folder."""

    def __init__(self, dest: str, ssh: str = "ssh", rsync: str = "rsync") -> None:
        match = _REMOTE_RE.match(dest)
        self.host, self.path = (match.group(1), match.group(2)) if match else (None, dest)
        if not self.path:
            raise ReleaseError(f"rsync destination {dest!r} has no path")
        self.dest = dest
        self.ssh = shlex.split(ssh)
        self.rsync = rsync

    def shell(self, command: str) -> None:
        """Run one shell command on the target (ssh HOST CMD, or sh -c CMD here)."""
        argv = [*self.ssh, self.host, command] if self.host else ["sh", "-c", command]
        self._run(argv)

    def _run(self, argv: list[str]) -> None:
        logger.info("running %s", shlex.join(argv))
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise ReleaseError(f"cannot run {argv[0]}: {exc.strerror}") from None
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip()
            raise ReleaseError(f"{shlex.join(argv)} failed (exit {proc.returncode}): {detail}")

    def upload(self, folder: Path, release_id: str, previous_id: str | None = None) -> None:
        """Copy the release; files equal to the previous release's there become hard links to them."""
        releases = f"{self.path.rstrip('/')}/{RELEASES}"
        # relative to the destination folder; rsync only warns when the target has no such release.
        # --checksum: by size and time alone, a page rewritten within the same second with as many
        # bytes would be taken for the previous release's and linked.
        linked = ["--checksum", f"--link-dest=../{previous_id}"] if previous_id else []
        options = ["-a", "--delete", *linked]
        if self.host:
            self.shell(f"mkdir -p -- {shlex.quote(releases)}")
            dest = f"{self.host}:{releases}/{release_id}/"
            argv = [self.rsync, *options, "-e", shlex.join(self.ssh), f"{folder}/", dest]
        else:
            try:
                Path(releases).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ReleaseError(f"cannot create {releases}: {exc.strerror}") from None
            argv = [self.rsync, *options, f"{folder}/", f"{releases}/{release_id}/"]
        self._run(argv)

    def switch_command(self, release_id: str) -> str:
        tmp = f".{CURRENT}.tmp"
        return (
            f"cd {shlex.quote(self.path)} && "
            f"ln -sfn {shlex.quote(f'{RELEASES}/{release_id}')} {tmp} && mv -T {tmp} {CURRENT}"
        )

    def switch(self, release_id: str) -> None:
        self.shell(self.switch_command(release_id))

    def remove(self, release_ids: list[str]) -> None:
        if release_ids:
            releases = f"{self.path.rstrip('/')}/{RELEASES}"
            names = " ".join(shlex.quote(i) for i in release_ids)
            self.shell(f"cd {shlex.quote(releases)} && rm -rf -- {names}")


# -- publish, prune, rollback ---------------------------------------------------------


def _rollback_candidates(history: list[str], releases: list[str], current: str) -> list[str]:
    """The releases ``rollback`` may go back to from ``current``, the best last."""
    if current in history:
        index = len(history) - 1 - history[::-1].index(current)
        candidates = history[:index]
    else:
        candidates = [i for i in releases if i < current]
    return [i for i in candidates if i in releases and i != current]


def prune(root: str | os.PathLike[str], keep: int = 5) -> list[str]:
    """Delete all but the ``keep`` newest releases, never the current or previous one."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    root = Path(root)
    releases = list_releases(root)
    history = read_history(root)
    current = current_release(root)
    protected = set(releases[-keep:])
    if current:
        protected.add(current)
        candidates = _rollback_candidates(history, releases, current)
        if candidates:
            protected.add(candidates[-1])
    removed = [i for i in releases if i not in protected]
    if not removed:
        return []
    # First out of the listing (a rename each), then out of the history, then deleted:
    # a kill at any point leaves only whole releases listed and .trash-* to clean.
    for release_id in removed:
        logger.info("removing old release %s", release_id)
        (root / RELEASES / release_id).rename(root / RELEASES / f"{TRASH_PREFIX}{release_id}")
    _step("prune-rename")
    _write_history(root, [i for i in history if i not in removed])
    _step("prune-history")
    for release_id in removed:
        shutil.rmtree(root / RELEASES / f"{TRASH_PREFIX}{release_id}", ignore_errors=True)
    _step("prune-delete")
    return removed


def publish(
    root: str | os.PathLike[str],
    build_fn: BuildFn,
    keep: int = 5,
    rsync: str | None = None,
    *,
    siteurl: str | None = None,
    languages: list[str] | tuple[str, ...] | None = None,
    label: str | None = None,
    check_options: dict[str, Any] | None = None,
    ssh: str = "ssh",
    signing_key: str | None = None,
    now: dt.datetime | None = None,
    public_key: str | None = None,
    clean: bool = False,
) -> Path:
    """Build, check, compress and switch ``root/current`` to a new release.

    ``build_fn(path)`` must write the site into ``path`` and raise (or return
    False / a non-zero status / a result whose ``exited`` is non-zero) on failure.
    ``siteurl``, ``languages`` and ``check_options`` go to :func:`check_site`.
    ``rsync`` is ``HOST:PATH`` or a local folder that mirrors the deploy root.
    ``signing_key`` (else ``$PRESS_SIGNING_KEY``) signs the manifest; with ``public_key``
    (the settings' PRESS_SIGNING_PUBLIC_KEY, "" when they have none) a key that is not its
    pair is refused before anything is built. ``clean`` empties ``work/`` first, so that an
    incremental build writes everything again.
    Returns the release folder; raises :class:`ReleaseError` when nothing was switched.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    signing_key = signing_key or key_path_from()
    if signing_key:
        try:
            if public_key is not None:
                check_key_pair(signing_key, public_key)
            else:
                load_signing_key(signing_key)
        except SigningError as exc:
            raise ReleaseError(f"nothing built or published: {exc}") from None
    root = Path(root).absolute()
    target = _Target(rsync, ssh=ssh) if rsync else None
    with _locked(root):
        releases = root / RELEASES
        releases.mkdir(exist_ok=True)
        clean_leftovers(root)
        _step("clean")
        # ``now`` (deploy.schedule: SOURCE_DATE_EPOCH, or the minute's clock) dates the release
        release_id = new_release_id(label, now)
        while (releases / release_id).exists():  # two publishes within one microsecond
            now = now + dt.timedelta(microseconds=1) if now else None
            release_id = new_release_id(label, now)
        staging = releases / f"{INCOMING_PREFIX}{release_id}"
        staging.mkdir()
        previous_id = current_release(root)
        previous_dir = releases / previous_id if previous_id and (releases / previous_id).is_dir() else None
        # Its files are linked into the new release, and the new manifest lists what they hold:
        # a current release altered since it was published is not followed (all is copied and checked).
        damaged = verify_release(root, previous_id) if previous_dir is not None else None
        if damaged:
            logger.warning("not following release %s: %s", previous_id, damaged)
            previous_dir = None
        state = read_state(root)
        # An incremental build (the press's) writes into work/, publish after publish, so that
        # it rewrites only what changed; any other build writes into the new release itself.
        built = root / WORK if getattr(build_fn, "incremental", False) else staging
        if built != staging:
            if clean:
                shutil.rmtree(built, ignore_errors=True)
            built.mkdir(exist_ok=True)
            (root / WORK_UNFINISHED).touch()
        logger.info(
            "building release %s%s",
            release_id,
            f" into {built} (starting from {previous_id})" if built != staging and previous_id else "",
        )
        started = time.time_ns() - 1_000_000_000  # file times come from a coarser clock: a second early
        try:
            result = build_fn(built)
            why = _build_failed(result)
        except Exception as exc:  # any build error: report it, keep current
            why = str(exc).strip() or type(exc).__name__
        if why is None and not any(built.iterdir()):
            why = "the build wrote nothing"
        if why:
            if built != staging and _written_since(built, started):
                # kept to look at; the next publish builds work/ afresh
                staging.rmdir()
                built.rename(staging)
            elif built != staging:
                # it stopped before writing anything (a bad setting, a missing tool): work/ is as it was
                why += f"; it wrote nothing, {built} is kept"
            (root / WORK_UNFINISHED).unlink(missing_ok=True)
            failed = _set_aside(root, staging, release_id)
            raise ReleaseError(f"build failed, current unchanged (output kept in {failed}): {why}")
        (root / WORK_UNFINISHED).unlink(missing_ok=True)
        _step("build")

        work = state.get("work") if isinstance(state.get("work"), dict) else {}
        recorded = work.get("files") if built != staging and work.get("release") == previous_id else None
        changes, stats = follow_previous(built, staging, previous_dir, recorded)
        logger.info("release %s: %s", release_id, changes.describe(previous_dir and previous_id))
        checked = state.get("checked") if isinstance(state.get("checked"), dict) else {}
        version = checker_version(siteurl=siteurl, languages=list(languages or ()), **(check_options or {}))
        # Files unchanged since a release that passed this very check need not be read again;
        # a removed file may break a link anywhere, so then every page's links are followed.
        follows = previous_dir is not None and checked.get(previous_id) == version
        scope: dict[str, Any] = {}
        if follows:
            scope = {"validate_only": changes.changed, "only": None if changes.removed else changes.changed}
        logger.info(
            "checking release %s: %s",
            release_id,
            "the files that changed" if follows else "every file (a first release or another checker)",
        )
        failures = check_site(staging, siteurl=siteurl, languages=languages, **scope, **(check_options or {}))
        if failures:
            failed = _set_aside(root, staging, release_id)
            listing = format_failures(failures, limit=MESSAGE_FAILURES)
            raise ReleaseError(
                f"check failed with {len(failures)} failure(s), current unchanged "
                f"(release kept in {failed}; paths below are relative to it):\n{listing}",
                failures,
            )

        _step("check")

        count = precompress(staging, _to_compress(staging, changes, stats))
        logger.info("wrote %d .gz copies (the others are the previous release's)", count)
        _step("compress")
        # The .gz copies are written first, so that the manifest lists them too; so is the
        # checksum list (signed for OpenSSL) that readers check with common tools (deploy.checksums).
        write_checksums(staging, signing_key)
        write_manifest(staging)
        _step("manifest")
        # Signed with the press's key (``signing_key``, else $PRESS_SIGNING_KEY), or left
        # unsigned with one warning line (deploy.signing).
        try:
            sign_release(staging, signing_key, public_key)
        except SigningError as exc:
            failed = _set_aside(root, staging, release_id)
            raise ReleaseError(
                f"signing failed, current unchanged (release kept in {failed}): {exc}"
            ) from None
        final = releases / release_id
        staging.rename(final)
        _step("rename")
        damaged = verify_release(root, release_id)
        if damaged:
            failed = _set_aside(root, final, release_id)
            raise ReleaseError(f"release {release_id} is not whole, current unchanged ({failed}): {damaged}")
        _step("verify")
        # what the next publish compares with (only releases still listed are remembered)
        listed = set(list_releases(root))
        checked = {i: v for i, v in checked.items() if i in listed and isinstance(v, str)}
        checked[release_id] = version
        new_state: dict[str, Any] = {"checked": checked}
        if built != staging:
            new_state["work"] = {"release": release_id, "files": stats}
        atomic_write(root / STATE, json.dumps(new_state, sort_keys=True))

        previous = current_release(root)
        if target is not None:
            try:
                target.upload(final, release_id, previous)
                target.switch(release_id)
            except ReleaseError as exc:
                raise ReleaseError(
                    f"upload to {target.dest} failed, current unchanged here "
                    f"(release {release_id} is ready; retry or remove it): {exc}"
                ) from None
        switch_current(root, release_id)
        _step("switch")
        history = [i for i in read_history(root) if i != release_id]
        if previous and (not history or history[-1] != previous):
            history.append(previous)
        _write_history(root, [*history, release_id])
        _step("history")
        removed = prune(root, keep)
        if target is not None and removed:
            try:
                target.remove(removed)
            except ReleaseError as exc:
                logger.warning("could not remove old releases on %s: %s", target.dest, exc)
        logger.info("published %s", release_id)
        return final


def rollback(
    root: str | os.PathLike[str], rsync: str | None = None, *, ssh: str = "ssh", to: str | None = None
) -> Path:
    """Switch ``root/current`` (and the rsync target's) back to the previous release, or to ``to``.

    The release must match its manifest; otherwise nothing is switched and
    :class:`ReleaseError` names the files that differ.
    """
    root = Path(root).absolute()
    target = _Target(rsync, ssh=ssh) if rsync else None
    if not root.is_dir():
        raise ReleaseError(f"{root} does not exist: nothing to roll back")
    with _locked(root):
        releases = list_releases(root)
        current = current_release(root)
        if current is None:
            raise ReleaseError(f"{root / CURRENT} does not point to a release: nothing to roll back")
        history = read_history(root)
        candidates = _rollback_candidates(history, releases, current)
        if to is not None:
            if to not in releases:
                known = ", ".join(releases) or "none"
                raise ReleaseError(f"there is no release {to} in {root / RELEASES} (releases: {known})")
            if to == current:
                raise ReleaseError(f"{to} is already current: nothing to do")
            previous = to
        elif not candidates:
            raise ReleaseError(f"no release before {current} to roll back to")
        else:
            previous = candidates[-1]
        damaged = verify_release(root, previous)
        if damaged:
            raise ReleaseError(
                f"refusing to roll back to {previous}: {damaged}. current is unchanged ({current}); "
                "choose another release with --to ID (see the list of releases)"
            )
        if target is not None:
            target.switch(previous)
        switch_current(root, previous)
        if previous in history:
            last = len(history) - 1 - history[::-1].index(previous)
            _write_history(root, history[: last + 1])
        elif to is not None:
            _write_history(root, [*history, previous])
        else:
            _write_history(root, [*candidates])
        logger.info("rolled back from %s to %s", current, previous)
        return root / RELEASES / previous


@dataclass(frozen=True)
class ReleaseState:
    """One folder of ``releases/`` as ``invoke releases`` shows it."""

    name: str
    state: str  # whole, damaged, failed, leftover
    detail: str = ""
    current: bool = False
    previous: bool = False

    def line(self) -> str:
        marks = [m for m, on in (("current", self.current), ("previous", self.previous)) if on]
        text = f"{'*' if self.current else ' '} {self.name}  {self.state}"
        if marks:
            text += f" ({', '.join(marks)})"
        return f"{text}: {self.detail}" if self.detail else text


def release_states(root: str | os.PathLike[str]) -> list[ReleaseState]:
    """Every release (checked against its manifest), failed build and leftover, oldest first."""
    root = Path(root)
    folder = root / RELEASES
    if not folder.is_dir():
        return []
    releases = list_releases(root)
    current = current_release(root)
    candidates = _rollback_candidates(read_history(root), releases, current) if current else []
    previous = candidates[-1] if candidates else None
    states = []
    for release_id in releases:
        damaged = verify_release(root, release_id)
        states.append(
            ReleaseState(
                release_id,
                "damaged" if damaged else "whole",
                damaged or "",
                current=release_id == current,
                previous=release_id == previous,
            )
        )
    for path in sorted(folder.iterdir()):
        if path.name.startswith(FAILED_PREFIX):
            states.append(ReleaseState(path.name, "failed", "its build or check failed; kept to look at"))
        elif path.name.startswith((INCOMING_PREFIX, TRASH_PREFIX)):
            states.append(
                ReleaseState(path.name, "leftover", "of an interrupted publish; the next publish removes it")
            )
    # one list in time order: a failed or interrupted publish where it happened (ids start with the time)
    prefixes = (FAILED_PREFIX, INCOMING_PREFIX, TRASH_PREFIX)
    return sorted(
        states, key=lambda s: next((s.name[len(p) :] for p in prefixes if s.name.startswith(p)), s.name)
    )
