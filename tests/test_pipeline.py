"""The pipeline's structure (issue 13): one strict gate, Pelican's signals, forced settings."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import article

STRIKE = article(
    "The Strike",
    "The branch met.\n\n![The branch meeting]({static}photo.jpg)\n",
    date="2026-03-01",
)


def failing_pagefind(folder) -> str:
    script = folder / "pagefind"
    script.write_text("#!/bin/sh\necho 'Error: the index exploded' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return os.fspath(script)


def test_one_strict_gate_reports_every_failure_and_exits_once(build_site, tmp_path, monkeypatch):
    """An image that cannot be cleaned and a failed search index: both reported, one exit."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", failing_pagefind(tmp_path))
    files = {
        "articles/strike/en.md": STRIKE,
        "articles/strike/photo.jpg": b"\xff\xd8\xff\xe0 not really a JPEG",
    }
    built = build_site(files, languages=["en"], strict=True)
    assert built.returncode == 1, built.log
    assert built.log.count("Strict build failed") == 1
    problems = built.problems("internal-error")
    assert len(problems) == 2, built.report
    image, search = sorted(problems, key=lambda problem: problem["path"], reverse=True)
    assert image["path"] == "articles/strike/photo.jpg"
    assert "could not be cleaned of its metadata" in image["message"]
    assert search["path"] == ""
    assert "The search index was not built" in search["message"]
    assert not built.exists("articles/strike/photo.jpg")


# -- one parallel engine ----------------------------------------------------------


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_the_parallel_engine_keeps_the_order_and_uses_forked_workers():
    from press.parallel import PARALLEL_THRESHOLD, map_in_workers

    items = list(range(PARALLEL_THRESHOLD * 2))
    serial = map_in_workers(square_with_pid, items, 1)
    parallel = map_in_workers(square_with_pid, items, 2)
    assert [value for value, _pid in parallel] == [value for value, _pid in serial] == [n * n for n in items]
    assert {pid for _value, pid in serial} == {os.getpid()}
    workers = {pid for _value, pid in parallel}
    assert workers and os.getpid() not in workers  # rendered in forked workers only
    # below the threshold, no worker is started
    few = map_in_workers(square_with_pid, items[: PARALLEL_THRESHOLD - 1], 2)
    assert {pid for _value, pid in few} == {os.getpid()}


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise KeyError("seven")
    return number


def test_a_failure_in_a_worker_names_the_error():
    from press.parallel import PARALLEL_THRESHOLD, WorkerError, map_in_workers

    with pytest.raises(WorkerError, match="KeyError: 'seven'"):
        map_in_workers(fail_on_seven, list(range(PARALLEL_THRESHOLD)), 2)
