"""Writing files whole: the one atomic write of the press and its deploy tools.

Every file that another program (or the next build) reads while it may be
rewritten goes through :func:`atomic_write`: the report, the caches, the
cleaned images, the deploy manifest and history.  The data goes to a
temporary file beside the target, which then replaces it in one step, so a
reader sees the old file or the new one, never half of one, and a failure
leaves no temporary behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) in one step.

    The folder is created if needed; a symbolic link at ``path`` is replaced,
    never written through.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


#: The press package's own folder (its code: what the caches' fingerprints name).
PACKAGE_FOLDER = os.path.dirname(os.path.abspath(__file__))


def output_cache_path(cache_dir: str | None, output_path: str, pattern: str) -> str:
    """A cache file that belongs to one output folder: ``pattern`` with ``{output}`` filled in.

    The output folder is named by a hash of its absolute path, so two sites
    built with one ``CACHE_PATH`` keep their records apart.
    """
    tag = hashlib.sha256(os.path.abspath(output_path).encode()).hexdigest()[:16]
    return os.path.join(cache_dir or "cache", pattern.format(output=tag))


def hash_files(folders, suffixes: tuple[str, ...] = ()) -> str:
    """One SHA-256 over the names and contents of every file below ``folders`` (ending in ``suffixes``)."""
    digest = hashlib.sha256()
    for folder in folders:
        for root, subfolders, files in os.walk(folder):
            subfolders.sort()
            for name in sorted(files):
                if suffixes and not name.endswith(suffixes):
                    continue
                path = os.path.join(root, name)
                digest.update(os.path.relpath(path, folder).encode())
                with open(path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def hash_parts(*parts: str) -> str:
    """One SHA-256 over text parts, each ended by a NUL (so ``("ab", "c")`` ≠ ``("a", "bc")``)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def relative_to_folder(folder: str, path: str) -> str:
    """``path`` relative to ``folder``, with ``/``.

    A path inside the folder has its prefix cut: ``relpath`` asks for the working
    folder on every call, and a build asks once per file and step.
    """
    prefix = os.path.join(os.path.abspath(folder), "")
    if os.path.isabs(path) and path.startswith(prefix) and ".." not in path:
        return path[len(prefix) :].replace(os.sep, "/")
    return os.path.relpath(path, folder).replace(os.sep, "/")


def is_inside(folder: str, path: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it; both resolved (``os.path.realpath``) first."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def read_content_file(content_path: str, name: str) -> bytes | None:
    """The bytes of ``content/<name>`` (``terms.toml``, ``glossary.toml``): the one place the press
    reads a file the content folder names beside the versions.

    None when there is none, and when it is not a regular file inside the
    content folder: a link out of the folder is never followed, and a pipe or
    a device, which would block the build or never end, is never opened (the
    tree's scan reports each as ``unsafe-file``).
    """
    root = os.path.realpath(content_path)
    real = os.path.realpath(os.path.join(root, name))
    if real == root or not is_inside(root, real) or not os.path.isfile(real):
        return None
    with open(real, "rb") as handle:
        return handle.read()
