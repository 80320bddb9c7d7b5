"""Nothing but the site goes into any output (issue 21, points 1, 10 and part of 11; contract §1, §6).

A canary (a unique string) lives outside the tree: in a file beside it, in a
file named like a signing key, and in the environment of the build (so that
``/proc/self/environ`` holds it).  The tree refers to it in every way issue 21
lists: prose (``set src='/path'``, ``href='/proc/self/environ'``), Markdown
images and links, raw ``<a href>`` and ``<img src>``, ``file:`` addresses, a
summary, a translation, a symbolic link out of ``content/`` and a top folder
that is one.  The tree is built as a development build (editions on) and as a
strict one, and published with ``python -m deploy.release publish`` (which
fails, so the release is kept as ``failed-<id>``); then every output file is
read, zips and EPUBs opened, ``.gz`` unpacked, PDFs' streams inflated and their
text extracted, and none holds a byte of the canary.  The report names each
reference as ``unsafe-file`` with its line.

The same tree carries the other cases of this part of the issue: stray files
and folders at the top of ``content/``, titles that show nothing or hold a
noncharacter, a repeated key in an issue's ``Contents``, ``style=`` on a
later line than the word "style".
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, png, run_pelican, terms_toml, translation, write_tree

CANARY = f"CANARY-{uuid.uuid4().hex}"
LANGUAGES = ["en", "it"]
ONLY_EN = {"languages": "en"}
NONCHARACTER = "\ufffe"


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def canary_tree(root: Path) -> tuple[dict[str, str | bytes], list[tuple[str, str, str]]]:
    """The tree, and every planted reference: (file, the reference as written, text on its line)."""
    outside = root / "outside"
    (outside / "pictures").mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text(f"{CANARY}\n", encoding="utf-8")
    key = outside / "press-signing.key"  # where PRESS_SIGNING_KEY would name the private key
    key.write_text(f"-----BEGIN PRIVATE KEY-----\n{CANARY}\n", encoding="utf-8")
    (outside / "pictures" / "leak.png").write_bytes(png() + CANARY.encode())
    prose = article(
        "Prose",
        f"To embed it, set src='{secret}' in the page.\n\n"
        "A link written as text: href='/proc/self/environ' (cmark leaves the quotes).\n\n"
        f"In code: `set src='{key}'`.\n\n"
        "Reading memory: src='/proc/self/mem' must not stop the build.\n\n"
        f"A bare address: file://{secret} in a sentence.\n",
        date="2026-03-01",
        **ONLY_EN,
    )
    markup = article(
        "Markup",
        f"An image: ![x]({secret})\n\n"
        f"A link: [notes]({key})\n\n"
        '<a href="/proc/self/environ">raw link</a>\n\n'
        f'<img src="{secret}" alt="raw image">\n\n'
        f"[file link](file://{secret})\n\n"
        f'<img src="file://{key}" alt="file image">\n',
        date="2026-03-02",
        summary=f"A summary with ![s]({secret})",
        **ONLY_EN,
    )
    original = article("Translated", "A clean original, nothing outside.\n", date="2026-03-03")
    translated = translation(
        original,
        "en",
        "Tradotto",
        f"Un originale pulito, niente fuori. ![x]({secret}) e set src='{key}'.\n",
    )
    linked = article("Linked", "A picture by a link: ![leak](leak.png)\n", date="2026-03-04", **ONLY_EN)
    styled = article(
        "Styled",
        "A word on style first.\n\nA second paragraph.\n\n"
        '<p style="background:url(https://evil.example/x.png)">styled</p>\n',
        date="2026-03-05",
        **ONLY_EN,
    )
    files: dict[str, str | bytes] = {
        "terms.toml": terms_toml(),
        "articles/prose/en.md": prose,
        "articles/markup/en.md": markup,
        "articles/translated/en.md": original,
        "articles/translated/it.md": translated,
        "articles/linked/en.md": linked,
        "articles/styled/en.md": styled,
        "articles/blank/en.md": article("\u200b\u202e", "Body.\n", date="2026-03-06", **ONLY_EN),
        "articles/nonchar/en.md": article(f"Wages{NONCHARACTER}", "Body.\n", date="2026-03-07", **ONLY_EN),
        "pages/about/en.md": article("About", "Write to href='/proc/self/environ'.\n", **ONLY_EN),
        "issues/cl-1/en.md": article(
            "Issue One",
            f"The first issue, with its own picture: ![cover]({secret})\n",
            date="2026-03-15",
            publication="communist-left",
            number="1",
            contents="prose, markup, prose, linked, nonchar",
            **ONLY_EN,
        ),
        # stray files and folders at the top of content/
        "en.md": article("Stray", "Body.\n", date="2026-03-08"),
        "posts/first/en.md": article("Post", "Body.\n", date="2026-03-08"),
        "article/second/en.md": article("Article", "Body.\n", date="2026-03-08"),
        "Articles/third/en.md": article("Articles", "Body.\n", date="2026-03-08"),
    }
    reference = re.compile(
        "(?:file://)?(?:" + "|".join(re.escape(str(path)) for path in (secret, key)) + ")|/proc/self/\\w+"
    )
    planted = [
        (path, match.group(), line)
        for path, text in files.items()
        if isinstance(text, str) and path.endswith(".md")
        for line in lines_of(text)
        for match in reference.finditer(line)
    ]
    return files, planted


def plant_links(content: Path, outside: Path) -> None:
    (content / "articles/linked/leak.png").symlink_to(outside / "secret.txt")
    (content / "images").symlink_to(outside / "pictures", target_is_directory=True)


@dataclass
class CanaryBuild:
    result: subprocess.CompletedProcess
    output: Path
    report: dict
    files: dict[str, str | bytes]
    planted: list[tuple[str, str, str]]


def build_canary(root: Path, settings_file: str) -> CanaryBuild:
    content, output, report = root / "content", root / "output", root / "report.json"
    files, planted = canary_tree(root)
    write_tree(content, files)
    plant_links(content, root / "outside")
    os.environ["PRESS_TEST_CANARY"] = CANARY  # in the build's /proc/self/environ
    try:
        result = run_pelican(
            content,
            output,
            report,
            settings_file=settings_file,
            overrides={
                "LANGUAGES": LANGUAGES,
                "PRESS_EDITIONS": True,
                "PRESS_SEARCH": False,
                "CACHE_PATH": str(root / "cache"),
            },
        )
    finally:
        del os.environ["PRESS_TEST_CANARY"]
    data = json.loads(report.read_text(encoding="utf-8"))
    return CanaryBuild(result, output, data, files, planted)


@pytest.fixture(scope="module")
def development(tmp_path_factory):
    return build_canary(tmp_path_factory.mktemp("development"), "pelicanconf.py")


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    return build_canary(tmp_path_factory.mktemp("strict"), "publishconf.py")


# -- reading every output ------------------------------------------------------------------


def needles() -> list[bytes]:
    """The canary as bytes, and as base64 at each of the three alignments (data: URIs)."""
    found = [CANARY.encode()]
    for shift in range(3):
        encoded = base64.b64encode(b"x" * shift + CANARY.encode())
        found.append(encoded[4:-4])
    return found


def pdf_texts(data: bytes, name: str) -> list[bytes]:
    """A PDF's streams, inflated, and its text as pdftotext reads it."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    tool = shutil.which("pdftotext")
    if tool:
        result = subprocess.run(
            [tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=False
        )
        parts.append(result.stdout)
    return parts


def readable_parts(name: str, data: bytes, depth: int = 0) -> list[tuple[str, bytes]]:
    """``data`` and, for archives, compressed copies and PDFs, what they hold (recursively)."""
    parts = [(name, data)]
    if depth > 3:
        return parts
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError, zlib.error):
            parts += readable_parts(f"{name}!gunzip", gzip.decompress(data), depth + 1)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                parts += readable_parts(f"{name}!{member}", archive.read(member), depth + 1)
    if data[:5] == b"%PDF-":
        parts += [(f"{name}!stream", part) for part in pdf_texts(data, name)]
    return parts


def as_text(data: bytes) -> str:
    """``data`` read as UTF-8 text, or '' when it is not text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""


def every_file(folder: Path) -> list[Path]:
    """Every file under ``folder`` (links not followed; a link is listed, its target is not read)."""
    found = []
    for root, subfolders, names in os.walk(folder):
        for name in subfolders + names:
            path = Path(root, name)
            if path.is_symlink() or path.is_file():
                found.append(path)
    return found


def canary_hits(*folders: Path) -> list[str]:
    hits = []
    targets = needles()
    for folder in folders:
        for path in every_file(folder):
            if path.is_symlink():
                target = os.path.realpath(path)
                if not target.startswith(os.path.realpath(folder) + os.sep):
                    hits.append(f"{path} is a link out of the output, to {target}")
                continue
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            for name, data in readable_parts(str(path.relative_to(folder)), path.read_bytes()):
                if any(needle in data for needle in targets):
                    hits.append(name)
    return hits


def unsafe_files(report: dict) -> list[dict]:
    return [problem for problem in report["problems"] if problem["kind"] == "unsafe-file"]


def line_number(text: str, line: str) -> int:
    return lines_of(text).index(line) + 1


# -- the canary ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["development", "strict"])
def test_no_output_holds_a_byte_of_a_file_outside_the_tree(which, request):
    built = request.getfixturevalue(which)
    result, output, report = built.result, built.output, built.report
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    assert not [p for p in report["problems"] if p["kind"] == "internal-error"], report
    assert result.returncode == (0 if which == "development" else 1), log
    # the offline copies and the editions were made: the canary had every chance to get in
    assert (output / "offline/en.zip").is_file() and (output / "offline/it.zip").is_file()
    epub = output / "en/issues/cl-1/cl-1-en.epub"
    # the e-book holds the article whose title had a noncharacter, without it
    assert any(b"Wages" in data for _, data in readable_parts(epub.name, epub.read_bytes()))
    assert canary_hits(output) == []
    # in every text an output holds (binary parts, such as a picture's or Pagefind's compressed
    # data, may hold the same three bytes by chance: they are not text, and not what a reader sees)
    assert [
        name
        for path in every_file(output)
        if path.is_file()
        for name, data in readable_parts(path.name, path.read_bytes())
        if NONCHARACTER in as_text(data)
    ] == []


@pytest.mark.parametrize("which", ["development", "strict"])
def test_every_planted_reference_is_unsafe_file_with_its_line(which, request):
    built = request.getfixturevalue(which)
    report, files, planted = built.report, built.files, built.planted
    assert len(planted) >= 16
    problems = unsafe_files(report)
    for path, written, line in planted:
        number = line_number(files[path], line)
        matching = [
            problem
            for problem in problems
            if problem["path"] == path
            and f"line {number}:" in problem["message"]
            and written in problem["message"].replace("\\\\", "\\")
        ]
        assert matching, (path, number, written, [p["message"] for p in problems if p["path"] == path])
    for problem in problems:
        assert (
            "Put the file beside the article" in problem["message"] or "never published" in problem["message"]
        )


@pytest.mark.parametrize("which", ["development", "strict"])
def test_links_out_of_content_and_stray_top_entries_are_unsafe_files(which, request):
    report = request.getfixturevalue(which).report
    entries = {(p["kind"], p["path"]) for p in report["problems"]}
    for path in ("articles/linked/leak.png", "images/", "en.md", "posts/", "article/", "Articles/"):
        assert ("unsafe-file", path) in entries, (path, sorted(entries))
    messages = {p["path"]: p["message"] for p in unsafe_files(report)}
    assert "did you mean articles/?" in messages["article/"]
    assert "did you mean articles/?" in messages["Articles/"]
    assert "articles/<key>/<lang>.md" in messages["en.md"]
    assert "symbolic link" in messages["images/"]
    # terms.toml is content, not a stray
    assert "terms.toml" not in messages


def test_root_relative_links_to_the_site_are_not_problems(build_site):
    body = (
        "See [the fund](/en/fund/), [home](/) and [the copy](/offline/en.zip).\n\n![logo](/images/logo.png)\n"
    )
    built = build_site(
        {
            "articles/links/en.md": article("Links", body, date="2026-03-01", **ONLY_EN),
            "articles/fund/en.md": article("Fund", "The fund.\n", date="2026-03-02", **ONLY_EN),
            "images/logo.png": png(),
        },
        strict=True,
        languages=LANGUAGES,
    )
    assert built.returncode == 0, built.log
    page = built.page("en/links/index.html")
    assert 'href="/en/fund/"' in page and 'src="/images/logo.png"' in page


def test_publish_keeps_no_canary_in_a_failed_release(tmp_path):
    root = tmp_path / "site"
    files, _ = canary_tree(root)
    content = root / "content"
    write_tree(content, files)
    plant_links(content, root / "outside")
    settings = root / "publish-settings.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(PROJECT / 'publishconf.py')!r}).items()"
        " if k.isupper()})\n"
        f"PATH = {str(content)!r}\n"
        f"LANGUAGES = {LANGUAGES!r}\n"
        "PRESS_SEARCH = False\n"
        f"PRESS_REPORT = {str(root / 'report.json')!r}\n"
        f"CACHE_PATH = {str(root / 'cache')!r}\n",
        encoding="utf-8",
    )
    deploy_root = tmp_path / "deploy"
    env = dict(os.environ, PRESS_TEST_CANARY=CANARY, SOURCE_DATE_EPOCH="1782000000")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "deploy.release",
            "publish",
            str(deploy_root),
            "--settings",
            str(settings),
            "--siteurl",
            "https://press.example.org",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (deploy_root / "current").exists()
    failed = [path for path in (deploy_root / "releases").iterdir() if path.name.startswith("failed-")]
    assert failed and (failed[0] / "offline/en.zip").is_file()
    assert canary_hits(deploy_root) == []
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    assert {p["path"] for p in unsafe_files(report)} >= {"articles/prose/en.md", "articles/markup/en.md"}


# -- the other cases of the tree ---------------------------------------------------------


@pytest.mark.parametrize("which", ["development", "strict"])
def test_titles_that_show_nothing_or_hold_a_noncharacter_are_reported(which, request):
    report = request.getfixturevalue(which).report
    by_path = {}
    for problem in report["problems"]:
        if problem["kind"] == "invalid-metadata":
            by_path.setdefault(problem["path"], []).append(problem["message"])
    blank = " ".join(by_path.get("articles/blank/en.md", []))
    assert "title is missing" in blank and "U+200B" in blank and "U+202E" in blank and "line 1:" in blank
    nonchar = " ".join(by_path.get("articles/nonchar/en.md", []))
    assert "U+FFFE" in nonchar and "line 1 column 13" in nonchar


@pytest.mark.parametrize("which", ["development", "strict"])
def test_a_repeated_key_in_contents_is_reported_with_its_line(which, request):
    built = request.getfixturevalue(which)
    report, files = built.report, built.files
    messages = [
        p["message"]
        for p in report["problems"]
        if p["kind"] == "invalid-metadata" and p["path"] == "issues/cl-1/en.md"
    ]
    expected = line_number(files["issues/cl-1/en.md"], "Contents: prose, markup, prose, linked, nonchar")
    assert any("'prose' more than once" in m and m.startswith(f"line {expected}:") for m in messages), (
        messages
    )


@pytest.mark.parametrize("which", ["development", "strict"])
def test_unsafe_html_names_the_line_of_the_style_attribute(which, request):
    built = request.getfixturevalue(which)
    report, files = built.report, built.files
    text = files["articles/styled/en.md"]
    expected = next(number for number, line in enumerate(lines_of(text), 1) if "style=" in line)
    messages = [
        p["message"]
        for p in report["problems"]
        if p["kind"] == "unsafe-html" and p["path"] == "articles/styled/en.md"
    ]
    assert messages and all(m.startswith(f"line {expected}:") for m in messages), (expected, messages)


# -- the report's path ---------------------------------------------------------------------


def special_report_paths(folder: Path) -> list[tuple[str, Path]]:
    """Things that are not regular files, made where the test may replace them (never /dev)."""
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    made = [("pipe", fifo)]
    link = folder / "link.json"
    (folder / "target.json").write_text("{}", encoding="utf-8")
    link.symlink_to(folder / "target.json")
    made.append(("symbolic link", link))
    directory = folder / "folder.json"
    directory.mkdir()
    made.append(("folder", directory))
    try:
        device = folder / "full"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
        made.append(("device", device))
    except (PermissionError, OSError):
        pass
    return made


def test_the_report_path_refuses_what_is_not_a_regular_file(tmp_path):
    content = tmp_path / "content"
    write_tree(
        content,
        {
            "terms.toml": terms_toml(),
            "articles/a/en.md": article("A", "Body.\n", date="2026-03-01", **ONLY_EN),
        },
    )
    for what, path in special_report_paths(tmp_path):
        before = path.lstat()
        result = run_pelican(content, tmp_path / "output", path, overrides={"LANGUAGES": LANGUAGES})
        log = result.stdout + result.stderr
        assert result.returncode == 2, (what, log)
        assert "Traceback" not in log
        lines = [line for line in log.splitlines() if "PRESS_REPORT" in line]
        assert len(lines) == 1 and "not a regular file" in lines[0], (what, log)
        after = path.lstat()
        assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), what
        assert after.st_ino == before.st_ino, what
    # a regular file, or a new one, is written as always
    result = run_pelican(
        content, tmp_path / "output", tmp_path / "new" / "report.json", overrides={"LANGUAGES": LANGUAGES}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads((tmp_path / "new" / "report.json").read_text(encoding="utf-8")) == {"problems": []}


# -- the one check, and the offline copy, without a build ----------------------------------


@pytest.mark.parametrize(
    ("written", "refused"),
    [
        ("/etc/passwd", True),
        ("/proc/self/environ", True),
        ("/en/../../etc/passwd", True),
        ("/%65tc/passwd", True),
        ("&#47;etc&#47;passwd", True),
        ("\\etc\\passwd", True),
        ("file:///etc/passwd", True),
        ("FILE:/etc/passwd", True),
        (" fi\tle:///etc/passwd", True),
        ("../../../etc/passwd", True),
        ("{static}../../../etc/passwd", True),
        ("{filename}../../../../x.md", True),
        ("/", False),
        ("/en/other-key/", False),
        ("/images/logo.png", False),
        ("photo.png", False),
        ("../other/photo.png", False),
        ("{filename}../other/en.md", False),
        ("https://example.org/etc/passwd", False),
        ("mailto:a@example.org", False),
        ("#top", False),
    ],
)
def test_the_one_check_of_a_reference(written, refused):
    from press.content.intake import refused_reference

    assert (refused_reference(written, "articles/key", ["en", "it"]) is not None) == refused


def test_references_in_text_and_tags_are_found_once_each_with_their_lines():
    from press.content.intake import refused_reference_problems
    from press.html.render import render_gfm

    body = (
        "![x](/etc/a)\n\nprose\n\n<img src=\"/etc/a\">\n\nset src='/proc/self/mem' and file:///etc/b.\n\n"
        "[ok](/en/x/) ![ok](photo.png)\n"
    )
    messages = refused_reference_problems(render_gfm(body), body, 3, "articles/k", ["en"])
    assert [message.split(":", 1)[0] for message in messages] == ["line 3", "line 7", "line 9", "line 9"]
    assert "'/proc/self/mem'" in messages[2] and "'file:///etc/b'" in messages[3]


def test_the_offline_copy_reads_only_regular_files_the_build_wrote(tmp_path):
    from press.printed.offline_copy import OfflineCopy

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(CANARY, encoding="utf-8")
    output = tmp_path / "output"
    (output / "en" / "page").mkdir(parents=True)
    (output / "assets").mkdir()
    (output / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (output / "en" / "photo.png").write_bytes(png())
    (output / "en" / "leak.png").symlink_to(outside / "secret.txt")
    (output / "en" / "alias.png").symlink_to(output / "en" / "photo.png")
    os.mkfifo(output / "en" / "fifo.png")
    links = [
        str(outside / "secret.txt"),
        "/proc/self/environ",
        "/proc/self/mem",
        "../../outside/secret.txt",
        "/en/photo.png",
        "leak.png",
        "fifo.png",
    ]
    page = "".join(f"<a href='{link}'>x</a> set src='{link}' " for link in links)
    (output / "en" / "index.html").write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    files = OfflineCopy(output, "en", "", "notice").collect()
    assert set(files) == {"index.html", "en/index.html", "en/photo.png", "en/alias.png", "assets/site.css"}
    assert not any(CANARY.encode() in data for data in files.values())
    assert "href='photo.png'" in files["en/index.html"].decode()  # a site path from the root, made relative
