"""The pipeline's structure (issue 13): one strict gate, Pelican's signals, forced settings."""

from __future__ import annotations

import os
import stat

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
