"""Byte-identical search filters: Pagefind's filter files, written in a stable order.

Pagefind keeps a filter's values ("Strikes", "Party Press", … for the filter
"Section") in a hash map and writes them in that map's order, which changes
from run to run; the filter file's name is a hash of its content, the index's
metadata file lists the filter files (in hash-map order too), and
``pagefind-entry.json`` names the metadata file.  So two filters, or one
filter with two values, make two builds of the same input differ (contract §2).

:func:`normalise_filters` rewrites each filter file with its values sorted,
names it by a hash of that content, lists the filters in the metadata file
by name, names that file by its content, and updates the entry file.  The files are Pagefind's
format: gzip around ``pagefind_dcd`` and a CBOR value; a filter file is
``[name, [[value, [page, …]], …]]``.  Only the CBOR this needs (unsigned
integers, text, arrays) is read and written here.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"


class FormatError(ValueError):
    """A Pagefind file that is not what this module knows."""


def _read_head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, next position) of the CBOR item at ``at``."""
    initial = data[at]
    major, info = initial >> 5, initial & 0x1F
    if info < 24:
        return major, info, at + 1
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise FormatError(f"unsupported CBOR item {initial:#x}")
    size = sizes[info]
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def decode(data: bytes, at: int = 0):
    """(value, next position): unsigned integers, text strings and arrays."""
    major, argument, at = _read_head(data, at)
    if major == 0:
        return argument, at
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise FormatError(f"unsupported CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise FormatError(f"integer too large: {argument}")


def encode(value) -> bytes:
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise FormatError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(encode(item) for item in value)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        raw = handle.read()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path} is not a Pagefind file")
    return data


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(gzip.compress(data, mtime=0))


def _renamed(name: str, data: bytes) -> str:
    """``en_c70559f`` -> ``en_`` and as many hex digits of the content's hash."""
    prefix, _, digits = name.rpartition("_")
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[: len(digits)]}"


def normalise_filters(bundle: str) -> None:
    """Sort every filter file's values and rename what refers to them (see the module)."""
    renames: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(bundle, "filter", "*.pf_filter"))):
        data = _read(path)
        value, end = decode(data, len(SIGNATURE))
        if end != len(data) or not (isinstance(value, list) and len(value) == 2):
            raise FormatError(f"{path}: unexpected filter layout")
        name, values = value
        ordered = SIGNATURE + encode([name, sorted(values, key=lambda pair: pair[0])])
        old = os.path.basename(path)[: -len(".pf_filter")]
        new = _renamed(old, ordered)
        os.remove(path)
        _write(os.path.join(bundle, "filter", f"{new}.pf_filter"), ordered)
        if new != old:
            renames[old] = new
    entry_path = os.path.join(bundle, ENTRY_FILE)
    with open(entry_path, encoding="utf-8") as handle:
        entry = json.load(handle)
    for info in entry["languages"].values():
        meta_path = os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta")
        raw = _read(meta_path)
        meta, end = decode(raw, len(SIGNATURE))
        if end != len(raw) or not (isinstance(meta, list) and len(meta) >= 5):
            raise FormatError(f"{meta_path}: unexpected metadata layout")
        # [version, pages, index chunks, filters [[name, file]…], sorts [[name, file]…], …]
        for position in (3, 4):
            pairs = [[name, renames.get(file, file)] for name, file in meta[position]]
            meta[position] = sorted(pairs)
        data = SIGNATURE + encode(meta)
        info["hash"] = _renamed(info["hash"], data)
        os.remove(meta_path)
        _write(os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta"), data)
    with open(entry_path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))
