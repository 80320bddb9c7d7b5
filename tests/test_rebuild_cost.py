"""A rebuild in a new process costs what changed (issue 26).

After one original changed, a build in a new process reads again only that key's
versions, copies and cleans only the attachments whose source changed, and leaves
every output it does not change alone: its bytes and its modification time.  What
it leaves is what a clean build of the same tree writes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PIL import Image
from sitebuild import FIXED_NOW, PROJECT, article, png, terms_toml, translation, write_tree

KEYS = ("dockers", "printers", "miners", "nurses")
CHANGED = "printers"

# Runs a build in this process, counting what the reader does, per key.
DRIVER = textwrap.dedent(
    """
    import json, sys
    from collections import Counter

    sys.path.insert(0, sys.argv[2])
    from pelican import main
    from pelican.contents import Content
    from press.pipeline import reader

    counted = {"headers": Counter(), "bodies": Counter(), "static_links": 0}
    read_date, read_body = reader.publishable_date, reader.body_html

    def publishable_date(current, group):  # once for each version whose headers are read
        counted["headers"][group.key] += 1
        return read_date(current, group)

    def body_html(current, settings, version):
        counted["bodies"][version.key] += 1
        return read_body(current, settings, version)

    scan_links = Content.get_static_links

    def get_static_links(self):
        counted["static_links"] += 1
        return scan_links(self)

    reader.publishable_date, reader.body_html = publishable_date, body_html
    Content.get_static_links = get_static_links
    try:
        main(sys.argv[3:])
    except SystemExit as exit:
        status = exit.code
    else:
        status = 0
    with open(sys.argv[1], "w") as handle:
        json.dump({**counted, "status": status}, handle)
    """
)


def photo(colour: tuple[int, int, int]) -> bytes:
    """A JPEG that names its taker (EXIF Artist): cleaning it changes its bytes."""
    exif = Image.Exif()
    exif[0x013B] = "A. Photographer"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def tree(*, edited: bool = False, new_photo: bool = False) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"terms.toml": terms_toml()}
    for number, key in enumerate(KEYS):
        body = f"The {key} met on Tuesday and voted to strike.\n\n![Picket](photo.jpg)\n"
        if number:
            body += f"\nSee also [the {KEYS[number - 1]}](../{KEYS[number - 1]}/en.md).\n"
        if edited and key == CHANGED:
            body += "\nA sentence the original gained after the first build.\n"
        original = article(
            f"The {key} strike",
            body,
            date=f"2026-05-0{number + 1}",
            category="strikes",
            summary=f"The {key} *walk out*.",
        )
        files[f"articles/{key}/en.md"] = original
        files[f"articles/{key}/it.md"] = translation(
            article(
                f"The {key} strike",
                body.replace("\nA sentence the original gained after the first build.\n", ""),
            ),
            "en",
            f"Lo sciopero: {key}",
            f"Il {key} hanno votato lo sciopero.\n\n![Picchetto](photo.jpg)\n",
            summary=f"Sciopero: {key}.",
        )
        colour = (20 * number, 90, 200) if not (new_photo and key == CHANGED) else (250, 250, 10)
        files[f"articles/{key}/photo.jpg"] = photo(colour)
        files[f"articles/{key}/flag.png"] = png()
    return files


def build(root: Path, files, cache: Path) -> tuple[dict, str]:
    """Build ``files`` into ROOT/output in a new process; what the reader did, and the log."""
    content = root / "content"
    write_tree(content, files)
    record = root / "counted.json"
    driver = root / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    values = {
        "LANGUAGES": ["en", "it"],
        "CACHE_PATH": str(cache),
        "PRESS_SEARCH": False,
        "PRESS_REPORT": str(root / "report.json"),
        "PRESS_EDITIONS": False,
    }
    command = [sys.executable, str(driver), str(record), str(PROJECT / "plugins"), str(content)]
    command += ["-s", str(PROJECT / "pelicanconf.py"), "-o", str(root / "output"), "-v"]
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="200")
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in log, log
    counted = json.loads(record.read_text(encoding="utf-8"))
    assert counted["status"] in (0, None), log
    return counted, log


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file: its bytes and its modification time."""
    return {
        path.relative_to(output).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def test_a_rebuild_after_one_change_leaves_every_other_output_alone_and_equals_a_clean_build(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(site, tree(), cache)
    before = snapshot(site / "output")
    build(site, tree(edited=True), cache)
    after = snapshot(site / "output")

    changed = sorted(path for path in after if path not in before or after[path][0] != before[path][0])
    assert "en/printers/index.html" in changed and "en/feed.xml" in changed, changed
    kept = [path for path in after if path not in changed]
    for name in ("articles/dockers/photo.jpg", "articles/printers/photo.jpg", "articles/miners/flag.png"):
        assert name in kept
    assert "sitemap.xml" in kept
    # what it did not change keeps its modification time: nothing was written again
    touched = [path for path in kept if after[path][1] != before[path][1]]
    assert touched == [], touched

    build(tmp_path / "clean", tree(edited=True), tmp_path / "fresh")
    clean = snapshot(tmp_path / "clean" / "output")
    assert sorted(clean) == sorted(after)
    assert [path for path in clean if clean[path][0] != after[path][0]] == []


def test_a_changed_image_is_copied_and_cleaned_again_and_only_it(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(site, tree(), cache)
    output = site / "output"
    before = snapshot(output)
    (output / "articles" / "miners" / "flag.png").unlink()  # an output gone is made again
    # a release made from this output by hard links keeps its copy of the photo replaced here
    (tmp_path / "release").mkdir()
    os.link(output / "articles" / "printers" / "photo.jpg", tmp_path / "release" / "photo.jpg")

    _counted, log = build(site, tree(new_photo=True), cache)
    after = snapshot(output)
    # the new photo, and the image whose output was gone; no other
    assert "Removed the metadata of 2 published image(s)" in log, log
    published = after["articles/printers/photo.jpg"][0]
    assert published != before["articles/printers/photo.jpg"][0]
    with Image.open(io.BytesIO(published)) as image:
        assert image.getpixel((8, 6))[0] > 200  # the new picture
        assert not image.getexif()  # cleaned
    assert after["articles/miners/flag.png"][0] == png()
    assert (tmp_path / "release" / "photo.jpg").read_bytes() == before["articles/printers/photo.jpg"][0]
    for name in ("articles/dockers/photo.jpg", "articles/nurses/photo.jpg", "articles/printers/flag.png"):
        assert after[name] == before[name]

    build(tmp_path / "clean", tree(new_photo=True), tmp_path / "fresh")
    clean = snapshot(tmp_path / "clean" / "output")
    assert {path: data for path, (data, _) in clean.items()} == {
        path: data for path, (data, _) in after.items()
    }


def test_the_reader_is_not_run_for_unchanged_versions(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    first, _log = build(site, tree(), cache)
    assert first["headers"] == {key: 2 for key in KEYS}

    again, _log = build(site, tree(edited=True), cache)
    # only the changed key's versions are read again (its translation's headers name the original)
    assert again["headers"] == {CHANGED: 2}, again
    assert again["bodies"] == {CHANGED: 1}, again
    # no body is scanned for static links: every attachment is listed by the scan already
    assert again["static_links"] == 0 and first["static_links"] == 0
