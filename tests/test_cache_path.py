"""A CACHE_PATH the build cannot use costs one clear line, never a traceback (issue 26).

A folder the records cannot be written to costs one warning in all (the build
still writes the site, and the next one does all its work again); a CACHE_PATH
that names a file is refused at the start, with exit code 2, as an unusable
PRESS_REPORT is.
"""

from __future__ import annotations

import shutil

from sitebuild import article, build_tree, png, translation

# the records press.pipeline.carried keeps: a folder of parts, or one file
CARRIED = ("scan", "readings", "bodies", "findings", "statics", "sitemap")


def files(extra: str = "") -> dict:
    headers = {"date": "2026-05-01", "category": "strikes"}
    picture = "\n![A picket](picket.png)\n"
    body = "Strike funds are built in quiet times.\n" + picture + extra
    original = article("Strike funds", body, **headers)
    rents = article("Rents", "Rents rose again this spring.\n", **headers)
    return {
        "articles/funds/en.md": original,
        "articles/funds/it.md": translation(
            original, "en", "Casse di resistenza", "Le casse si costruiscono in tempi tranquilli.\n" + picture
        ),
        "articles/funds/picket.png": png(),
        "articles/rents/en.md": rents,
        "articles/rents/it.md": translation(rents, "en", "Affitti", "Gli affitti sono saliti ancora.\n"),
    }


def overrides(cache) -> dict:
    return {"LANGUAGES": ["en", "it"], "CACHE_PATH": str(cache), "PRESS_SEARCH": False}


def block_every_carried_record(cache) -> list[str]:
    """Put something in the way of every record the last build kept: none can be written again."""
    blocked = []
    for path in sorted(cache.iterdir()):
        kind = path.name.split("-")[1] if path.name.startswith("press-") else ""
        if kind not in CARRIED:
            continue
        if path.is_dir():  # a folder of parts: a file in its place
            shutil.rmtree(path)
            path.write_text("not a folder", encoding="utf-8")
        else:  # one file: a folder in its place
            path.unlink()
            path.mkdir()
        blocked.append(kind)
    return blocked


def test_records_that_cannot_be_written_cost_one_warning_in_all(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    first = build_tree(site, files(), overrides=overrides(cache))
    assert first.returncode == 0, first.log
    assert "Could not keep" not in first.log
    assert sorted(set(block_every_carried_record(cache))) == sorted(CARRIED)

    for edit in ("", "\nA paragraph added after it went out.\n"):
        again = build_tree(site, files(edit), overrides=overrides(cache))
        assert again.returncode == 0, again.log
        warnings = [line for line in again.log.splitlines() if "Could not keep" in line]
        assert len(warnings) == 1, again.log
        assert "CACHE_PATH" in warnings[0] and str(cache) in warnings[0], warnings
        assert "a folder the build can write" in warnings[0], warnings
        # the site is written all the same
        assert "after it went out" in again.page("en/funds/index.html") or not edit
        assert again.exists("it/funds/index.html")


def test_a_cache_path_that_names_a_file_is_refused_in_one_line(tmp_path):
    for cache in (tmp_path / "cache-file", tmp_path / "cache-file" / "inside"):
        (tmp_path / "cache-file").write_text("an editor's notes, not a folder\n", encoding="utf-8")
        built = build_tree(tmp_path / "site", files(), overrides=overrides(cache))
        assert built.returncode == 2, built.log
        errors = [line for line in built.log.splitlines() if line.startswith(("ERROR", "CRITICAL"))]
        assert len(errors) == 1, built.log
        assert f"CACHE_PATH {cache}" in errors[0] and "name a folder" in errors[0], errors
        assert "FileExistsError" not in built.log and "internal-error" not in built.log
        # the file it names is left alone
        assert (tmp_path / "cache-file").read_text(encoding="utf-8") == "an editor's notes, not a folder\n"


def test_a_cache_folder_nothing_can_be_written_to_costs_one_warning_with_search_and_editions(tmp_path):
    """Every writer into CACHE_PATH (records, search shards, pictures, render cache, editions),
    with a folder that refuses new files even to root (``chattr +i``)."""
    import subprocess

    import pytest

    cache = tmp_path / "cache"
    cache.mkdir()
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(cache)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a file system that has it)")
    try:
        settings = {**overrides(cache), "PRESS_SEARCH": True, "PRESS_EDITIONS": True}
        built = build_tree(tmp_path / "site", files(), overrides=settings)
        assert built.returncode == 0, built.log
        warnings = [line for line in built.log.splitlines() if "Could not keep" in line]
        assert len(warnings) == 1, built.log
        assert "Traceback" not in built.log and "failed inside" not in built.log, built.log
        assert built.exists("en/funds/index.html") and built.exists("pagefind/en/pagefind-entry.json")
        assert built.exists("offline/en.zip")
        assert list(cache.iterdir()) == []
    finally:
        subprocess.run([chattr, "-i", str(cache)], check=False)
