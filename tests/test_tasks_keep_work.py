"""The tasks as a new editor, translator and maintainer meet them (issue 24): each refusal is one
line, each hint printed is a command that works when copied, and nothing is lost or left behind.

These run the real ``.venv/bin/invoke`` in a fresh copy of the project (see test_tasks.py).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, translation, write_tree
from test_tasks import clone, invoke, plain_env, processes_with, wait_for  # noqa: F401 - clone is a fixture

from deploy.release import release_states

INVOKE = Path(sys.executable).parent / "invoke"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
ORIGINAL = article(
    "Dockers win",
    "The dockers of the port won their strike.\n\nThey return to work on Monday.\n",
    date="2026-02-01",
    category="Strikes",
)
#: A command a message suggests: ``invoke TASK`` and what follows up to the end of the sentence.
HINT = re.compile(
    r"invoke ([a-z0-9-]+(?: (?:--?[a-z-]+|[A-Za-z0-9./_-]+))*?)"
    r"(?= shows| starts| writes| adds| \(|\)|,|;|:|'|\.(?:\s|$)|$)",
    re.MULTILINE,
)


def one_line(result) -> str:
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def hints_in(text: str) -> list[str]:
    return [match.group(1) for match in HINT.finditer(text)]


def git_commit(folder: Path, message: str = "commit") -> None:
    if not (folder / ".git").exists():
        subprocess.run([*GIT, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*GIT, "commit", "-qm", message, "--allow-empty"], cwd=folder, check=True)


@pytest.fixture
def project(clone: Path) -> Path:  # noqa: F811 - the fixture of test_tasks
    """The clone with a content folder of one article, committed."""
    content = clone / "content"
    for folder in ("articles", "pages", "issues"):
        subprocess.run(["rm", "-rf", str(content / folder)], check=True)
    write_tree(content, {"articles/dockers/en.md": ORIGINAL})
    git_commit(clone)
    return clone


# -- translate never loses work ------------------------------------------------------------


def test_translate_refuses_the_originals_own_language_even_with_force(project: Path) -> None:
    original = project / "content" / "articles" / "dockers" / "en.md"
    original.write_text(ORIGINAL + "\nAn edit not committed yet.\n", encoding="utf-8")
    before = original.read_bytes()
    for extra in ([], ["--force"]):
        result = invoke(project, "translate", "dockers", "en", *extra)
        assert result.returncode != 0
        assert "is the original of 'dockers', in en" in one_line(result)
    assert original.read_bytes() == before
    assert sorted(p.name for p in original.parent.iterdir()) == ["en.md"]


def test_translate_force_keeps_a_copy_and_says_where(project: Path) -> None:
    assert invoke(project, "translate", "dockers", "it").returncode == 0
    path = project / "content" / "articles" / "dockers" / "it.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nLavoro non salvato.\n", encoding="utf-8")
    refused = invoke(project, "translate", "dockers", "it")
    assert refused.returncode != 0
    [hint] = hints_in(one_line(refused))
    assert hint == "translate dockers it --force"
    result = invoke(project, *shlex.split(hint))
    assert result.returncode == 0, result.stderr
    kept = [line for line in result.stdout.splitlines() if line.startswith("kept")]
    assert len(kept) == 1
    copy = project / re.search(r" as (\S+):", kept[0]).group(1)
    assert "Lavoro non salvato." in copy.read_text(encoding="utf-8")
    assert "Lavoro non salvato." not in path.read_text(encoding="utf-8")


# -- stamp ---------------------------------------------------------------------------------------


def test_stamp_refuses_an_unchanged_translation_and_its_hint_works(project: Path) -> None:
    content = project / "content"
    it = translation(ORIGINAL, "en", "I portuali vincono", "Hanno vinto.\n\nTornano lunedì.\n")
    write_tree(content, {"articles/dockers/it.md": it})
    git_commit(project)
    write_tree(content, {"articles/dockers/en.md": ORIGINAL.replace("Monday", "Tuesday")})
    git_commit(project, "the original changes")
    refused = invoke(project, "stamp", "dockers", "it")
    assert refused.returncode != 0
    hints = hints_in(one_line(refused))
    assert hints == ["status --diff dockers --lang it", "stamp dockers it --unchanged"]
    for hint in hints:
        result = invoke(project, *shlex.split(hint))
        assert result.returncode == 0, (hint, result.stderr)
    assert "unchanged" in result.stdout
    suggested = re.search(r"commit it with: (git commit .*)$", result.stdout, re.MULTILINE).group(1)
    committed = subprocess.run(shlex.split(suggested)[:1] + GIT[1:] + shlex.split(suggested)[1:], cwd=project)
    assert committed.returncode == 0
    log = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=project, capture_output=True, text=True)
    assert "unchanged" in log.stdout


# -- status counts what po-export counts -----------------------------------------------------------


def test_po_export_after_translate_counts_nothing_translated(project: Path) -> None:
    assert invoke(project, "translate", "dockers", "it").returncode == 0
    result = invoke(project, "po-export", "dockers", "it")
    assert result.returncode == 0, result.stderr
    assert " 0 translated" in result.stdout
    status = invoke(project, "status", "--lang", "it")
    assert "untranslated" in status.stdout and "0.0%" in status.stdout
    for hint in hints_in(status.stdout):
        assert invoke(project, *shlex.split(hint)).returncode == 0, hint


def test_po_import_of_a_file_with_a_bogus_charset_is_one_line(project: Path) -> None:
    po_file = project / "translations" / "content" / "it" / "dockers.po"
    po_file.parent.mkdir(parents=True)
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=no-such-charset\\n"\n'
        '\nmsgid "a"\nmsgstr "b"\n'
    )
    result = invoke(project, "po-import", str(po_file))
    assert result.returncode != 0
    line = one_line(result)
    assert "unknown encoding: no-such-charset" in line
    assert invoke(project, "--help", "po-export").returncode == 0  # the hint it gives


# -- new ------------------------------------------------------------------------------------------


def test_new_refuses_a_reserved_key(project: Path) -> None:
    result = invoke(project, "new", "The archive", "--section", "strikes", "--key", "archive")
    assert result.returncode != 0
    line = one_line(result)
    assert "the key 'archive' is reserved" in line
    assert not (project / "content" / "articles" / "archive").exists()
    [hint] = re.findall(r"--key (\S+)", line)
    again = invoke(project, "new", "The archive", "--section", "strikes", "--key", hint)
    assert again.returncode == 0, again.stderr
    assert "the publishing build refuses" in again.stdout


# -- serve ----------------------------------------------------------------------------------------


def test_serve_on_a_busy_port_is_one_line_and_its_hint_serves(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(project, "serve", "--port", str(port), "--output", str(out))
    assert result.returncode != 0
    line = one_line(result)
    assert f"port {port} on 127.0.0.1 is in use" in line
    [hint] = hints_in(line)
    assert hint.startswith("serve --port ") and "--output" in hint
    marker = uuid.uuid4().hex
    server = subprocess.Popen(
        [str(INVOKE), "-r", str(project), *shlex.split(hint)],
        cwd=project,
        env=plain_env(PRESS_TEST_MARK=marker),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    new_port = int(re.search(r"--port (\d+)", hint).group(1))
    try:

        def serving() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{new_port}/en/dockers/", timeout=5) as answer:
                    return answer.status == 200
            except OSError:
                return server.poll() is not None and pytest.fail("invoke serve ended early")

        wait_for(serving, "the preview to serve the page")
        # the preview's own report: a publish's (press-report.json) is never overwritten by it
        assert (project / "cache" / "preview-report.json").is_file()
        assert not (project / "press-report.json").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)


# -- nginx-conf -----------------------------------------------------------------------------------


def test_nginx_conf_writes_an_absolute_tidy_root(project: Path, tmp_path: Path) -> None:
    here = tmp_path / "site"
    here.mkdir()
    result = invoke(project, "nginx-conf", "--root", "../srv/press", "--output", "../nginx.conf", cwd=here)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {tmp_path / 'nginx.conf'}"
    text = (tmp_path / "nginx.conf").read_text(encoding="utf-8")
    roots = re.findall(r"^\s*root (\S+);", text, re.MULTILINE)
    assert roots and set(roots) == {f"{tmp_path}/srv/press/current"}


def test_nginx_conf_with_a_settings_file_whose_path_is_missing_is_one_line(
    project: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.py"
    settings.write_text(
        'LANGUAGES = ["en"]\nDEFAULT_LANG = "en"\nPATH = "no-such-folder"\n', encoding="utf-8"
    )
    result = invoke(project, "nginx-conf", "--settings", str(settings), "--output", str(tmp_path / "x.conf"))
    assert result.returncode != 0
    assert "settings.py cannot be used" in one_line(result)


# -- check --siteurl, the bench's hint ----------------------------------------------------------------


def test_checks_hint_to_give_siteurl_works_as_printed(project: Path, tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>x</title>'
        '<link rel="alternate" hreflang="en" href="https://press.example.org/en/"></head><body></body></html>'
    )
    write_tree(tmp_path / "site", {"index.html": page, "en/index.html": page})
    first = invoke(project, "check", "--output", str(tmp_path / "site"), "--no-vnu")
    hinted = [line for line in first.stdout.splitlines() if "(--siteurl)" in line]
    assert hinted, first.stdout
    again = invoke(
        project,
        "check",
        "--output",
        str(tmp_path / "site"),
        "--no-vnu",
        "--siteurl",
        "https://press.example.org",
    )
    assert "No idea what" not in again.stdout + again.stderr
    assert "(--siteurl)" not in again.stdout and "cannot be resolved" not in again.stdout


def test_the_bench_hint_names_flags_the_task_takes() -> None:
    sys.path.insert(0, str(PROJECT))
    from bench import run, tasks_bench

    [reason] = run.missing_packages(["i18n_subsites"]) or [
        "or leave it out with --configs press,pelican"  # the package is installed here: the same text
    ]
    flags = re.findall(r"--([a-z-]+)", reason.split("requirements-dev.txt)")[-1])
    assert flags == ["configs"]
    import inspect

    assert set(flags) <= set(inspect.signature(tasks_bench.bench).parameters)
    seen = []

    class Context:
        def run(self, command, **_):
            seen.append(command)

    tasks_bench.bench(Context(), configs="press,pelican", sizes="5x1", runs=1)
    assert "--configs press,pelican" in seen[0]


# -- i18n -----------------------------------------------------------------------------------------


def test_i18n_extract_and_update_change_nothing_when_no_message_changed(project: Path) -> None:
    # bring the catalogs in step with the templates once (what a maintainer commits)
    assert invoke(project, "i18n-update").returncode == 0
    git_commit(project, "catalogs in step")
    # a template's lines move, time passes: no message changes, so no catalog may change
    base = project / "theme" / "templates" / "base.html"
    base.write_text(
        "{# a comment that moves every line #}\n" + base.read_text(encoding="utf-8"), encoding="utf-8"
    )
    git_commit(project, "templates move")
    for task in ("i18n-extract", "i18n-update"):
        assert invoke(project, task).returncode == 0
    changed = subprocess.run(
        ["git", "status", "--porcelain", "translations"], cwd=project, capture_output=True, text=True
    )
    assert changed.stdout == ""


# -- releases in time order -------------------------------------------------------------------------


def test_failed_releases_are_listed_in_time_order(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    for name in (
        "20260101T000000.000000Z-aaa",
        "failed-20260102T000000.000000Z-bbb",
        "20260103T000000.000000Z-ccc",
        ".incoming-20260104T000000.000000Z-ddd",
    ):
        (releases / name).mkdir(parents=True)
    assert [state.name for state in release_states(tmp_path)] == [
        "20260101T000000.000000Z-aaa",
        "failed-20260102T000000.000000Z-bbb",
        "20260103T000000.000000Z-ccc",
        ".incoming-20260104T000000.000000Z-ddd",
    ]


# -- README ------------------------------------------------------------------------------------------


def test_readme_says_how_to_look_at_the_site() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "Open `output/index.html`" not in readme
    assert "invoke serve" in readme and "http://127.0.0.1:8000/" in readme
    # the offline copy, which works from disk, where the build writes it
    assert "output/offline/en.zip" in readme and "offline-en/index.html" in readme


def test_nginx_conf_keeps_a_copy_of_a_configuration_edited_by_hand(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "press.conf"
    target.write_text("# tuned by hand\n", encoding="utf-8")
    result = invoke(project, "nginx-conf", "--output", str(target))
    assert result.returncode == 0, result.stderr
    [kept] = [line for line in result.stdout.splitlines() if line.startswith("kept")]
    [copy] = [p for p in tmp_path.iterdir() if p.name.startswith("press.conf.") and p.suffix == ".orig"]
    assert copy.name in kept and copy.read_text(encoding="utf-8") == "# tuned by hand\n"
    again = invoke(project, "nginx-conf", "--output", str(target))  # the same text again: no new copy
    assert "kept" not in again.stdout
    assert len([p for p in tmp_path.iterdir() if p.suffix == ".orig"]) == 1
