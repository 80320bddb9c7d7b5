"""The build's own JSON records (``CACHE_PATH``), read and written fast.

A rebuild of a large archive reads hundreds of megabytes of records (each file's
parse, each body's page HTML): ``orjson`` reads them in half the time of the
standard library and writes them in a fraction.  The records are the press's
alone; nothing else reads their bytes.
"""

from __future__ import annotations

import json

import orjson


def read_record(path: str):
    """The JSON value in ``path``; OSError if it cannot be read, ValueError if it is not JSON."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from None


def record_bytes(value) -> bytes:
    """``value`` as JSON, keys sorted (a record of the same entries is the same bytes)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits: the standard library writes any
        return json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
