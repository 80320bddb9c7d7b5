"""The maintainers' and editors' tasks as a new user meets them (issue 14).

Every test runs the real ``.venv/bin/invoke`` (the environment's own, with ``PATH``
not containing it) in a fresh copy of the project (the files git knows), never in
the working tree itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, translation, write_tree

from press import workflow
from press.content.headers import parse_source

BIN = Path(sys.executable).parent
INVOKE = BIN / "invoke"
SITEURL = "https://press.example.org"


def plain_env(**extra: str) -> dict[str, str]:
    """The environment of a user who never activated the virtualenv."""
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PRESS_SITEURL")}
    env.update(PATH=path or "/usr/bin:/bin", COLUMNS="200", **extra)
    return env


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A copy of the project as a fresh clone has it."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT, capture_output=True, check=True
    ).stdout.decode()
    target = tmp_path / "clone"
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def invoke(project: Path, *args: str, cwd: Path | None = None, env: dict | None = None, **kwargs):
    result = subprocess.run(
        [str(INVOKE), "-r", str(project), *args],
        cwd=cwd or project,
        env=env or plain_env(),
        capture_output=True,
        text=True,
        timeout=900,
        **kwargs,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


# -- --help, and no traceback for a user's mistake ----------------------------------------


def listed_tasks(project: Path) -> list[str]:
    result = invoke(project, "--list", "--list-format", "json")
    assert result.returncode == 0, result.stderr
    return [entry["name"] for entry in json.loads(result.stdout)["tasks"]]


def press_tasks():
    """tasks.py's collection, loaded in this process (importing it does no work)."""
    from invoke import Collection

    import tasks

    return Collection.from_module(tasks)


def test_help_works_for_every_task_in_process(capsys) -> None:
    from invoke import Program

    namespace = press_tasks()
    names = sorted(namespace.task_names)
    assert {"new", "publish", "rollback", "releases", "serve", "frontpage", "i18n-init"} <= set(names)
    for name in names:
        Program(namespace=namespace, binary="inv[oke]").run(["invoke", "--help", name], exit=False)
        shown = capsys.readouterr().out
        assert f"Usage: inv[oke] [--core-opts] {name}" in shown, name
        options = shown.partition("Options:")[2]
        for line in options.splitlines():  # every option says what it is for
            assert not line.strip().startswith("-") or "  " in line.strip(), (name, line)


def test_importing_the_tasks_does_no_work(tmp_path: Path, monkeypatch) -> None:
    import importlib

    import tasks

    monkeypatch.chdir(tmp_path)
    hook = sys.excepthook
    importlib.reload(tasks)  # no directory change, no hook, no re-exec
    assert os.getcwd() == str(tmp_path) and sys.excepthook is hook


def test_a_short_flag_means_one_thing_in_every_task() -> None:
    namespace = press_tasks()
    meanings: dict[str, set[str]] = {}
    for name in namespace.task_names:
        for argument in namespace[name].get_arguments():
            for flag in argument.names:
                if len(flag) == 1:
                    meanings.setdefault(flag, set()).add(argument.name)
    assert meanings and all(len(options) == 1 for options in meanings.values()), meanings
    assert meanings["o"] == {"output"} and meanings["l"] == {"lang"} and meanings["s"] == {"settings"}


def test_help_after_the_task_name_works(clone: Path) -> None:
    for name in ("new", "translate", "po-export", "serve"):  # positional arguments, or none
        result = invoke(clone, name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        assert f"Usage: inv[oke] [--core-opts] {name}" in result.stdout
    assert not (clone / "translations" / "--help").exists()


def one_line(result) -> str:
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_bad_date_says_how_to_write_one(clone: Path) -> None:
    result = invoke(clone, "frontpage", "--date", "30/11/2026")
    assert result.returncode == 2
    assert "'30/11/2026' is not a date: write it as YYYY-MM-DD" in one_line(result)


def test_a_closed_pipe_ends_quietly(clone: Path) -> None:
    command = f"{INVOKE} -r {clone} frontpage | head -1; {INVOKE} -r {clone} status | head -1"
    result = subprocess.run(["bash", "-c", command], env=plain_env(), capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == "", result.stderr
    assert result.stdout.startswith("Front page on")


def test_existing_catalog_says_what_to_do_and_the_hint_works(clone: Path) -> None:
    result = invoke(clone, "i18n-init", "de")
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("translations/de/LC_MESSAGES/messages.po exists already")
    hint = re.search(r"\((invoke [^)]*?) adds", line).group(1)
    assert hint == "invoke i18n-update --lang de"
    rerun = invoke(clone, *hint.split()[1:])
    assert rerun.returncode == 0, rerun.stderr
    # updated, or left as it is when no message changed (issue 24)
    assert re.fullmatch(r"(updated|unchanged) translations/de/LC_MESSAGES/messages.po.*\n", rerun.stdout)


def test_unknown_kind_and_language_are_one_line(clone: Path) -> None:
    result = invoke(clone, "translate", "strike-funds", "xx")
    assert result.returncode == 1 and "'xx' is not in LANGUAGES" in one_line(result)
    result = invoke(clone, "stamp", "strike-funds", "it", "--kind", "article")
    assert result.returncode == 2 and "--kind 'article' is not one of" in one_line(result)
    result = invoke(clone, "frontpage", "--lang", "xx")
    assert result.returncode == 2 and "'xx' is not in LANGUAGES" in one_line(result)
    result = invoke(clone, "serve", "--port", "x")
    assert result.returncode == 1
    assert (
        one_line(result)
        == "error: 'x' is not a whole number, which that option takes (see invoke --help serve)"
    )


def test_paths_are_relative_to_where_the_user_stands(clone: Path, tmp_path: Path) -> None:
    here = tmp_path / "elsewhere"
    here.mkdir()
    result = invoke(clone, "nginx-conf", "--output", "nginx.conf", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "nginx.conf").is_file()
    result = invoke(clone, "releases", "--root", "deploy", cwd=here)
    assert result.returncode == 0 and str(here / "deploy" / "releases") in result.stdout


# -- hints in the build's messages are commands that work as printed ---------------------

HINT = re.compile(
    r"invoke [a-z0-9-]+(?: (?:--[a-z]+|[a-z0-9][a-z0-9-]*))*?(?= starts| writes| shows| adds|\)|\.|,|;|'|$)"
)


def test_every_hint_in_a_problem_message_runs_as_printed(clone: Path) -> None:
    content = clone / "content"
    shutil.rmtree(content)
    old = article("Alpha", "Old text of the original.\n", date="2026-01-01", category="Strikes")
    write_tree(
        content,
        {
            "articles/alpha/en.md": old,
            "articles/alpha/it.md": translation(old, "en", "Alfa", "Vecchio testo dell'originale.\n"),
            "articles/beta/en.md": article("Beta", "Only English.\n", date="2026-01-02"),
            "articles/gamma/en.md": article("Gamma", "Two originals.\n", date="2026-01-03"),
            "articles/gamma/it.md": article("Gamma it", "Due originali.\n", date="2026-01-03"),
            "articles/delta/en.md": article("Delta", "Text.\n", date="2026-01-04"),
            "articles/delta/it.md": article("Delta it", "Testo.\n", translation_of="garbage"),
            "pages/about/en.md": article("About", "About us.\n"),
        },
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=clone, check=True)
    subprocess.run([*git, "add", "-A"], cwd=clone, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=clone, check=True)
    write_tree(content, {"articles/alpha/en.md": old.replace("Old text", "New text")})  # it is stale now

    project = workflow.Project(str(content), ["en", "it", "sv", "fa"], "en", {})
    _, problems = project.scan()
    hints = sorted({hint for p in problems for hint in HINT.findall(p.message)})
    assert "invoke status --diff alpha --lang it" in hints
    assert "invoke stamp alpha it" in hints
    assert "invoke stamp gamma it --original en" in hints
    assert "invoke translate about it --kind pages" in hints
    assert "invoke stamp delta it" in hints

    def order(hint: str) -> int:  # what a user fixes first: the originals, then the rest
        return 0 if "--original" in hint else 1 if hint.startswith("invoke stamp") else 2

    for hint in sorted(hints, key=order):
        result = invoke(clone, *hint.split()[1:])
        if hint == "invoke stamp alpha it":
            # the translation did not change since its original did: stamp refuses, and the
            # last command it suggests (confirming nothing needed changing) works as printed
            assert result.returncode == 1
            follow = HINT.findall(result.stderr)
            assert follow[-1] == "invoke stamp alpha it --unchanged", result.stderr
            result = invoke(clone, *follow[-1].split()[1:])
        assert result.returncode == 0, (hint, result.stdout, result.stderr)


# -- invoke new ----------------------------------------------------------------------


def test_new_refuses_an_unknown_section_listing_the_known_ones(clone: Path) -> None:
    result = invoke(clone, "new", "The Dockers Win", "--section", "Housing")
    assert result.returncode == 1
    line = one_line(result)
    assert "there is no section 'Housing'" in line and "strikes (Strikes)" in line
    assert not (clone / "content" / "articles" / "the-dockers-win").exists()


def test_new_writes_every_editorial_header_and_builds_without_a_problem(clone: Path, build_site) -> None:
    result = invoke(clone, "new", "The Dockers Win", "--section", "scioperi")
    assert result.returncode == 0, result.stderr
    path = clone / "content" / "articles" / "the-dockers-win" / "en.md"
    text = path.read_text(encoding="utf-8")
    parsed = parse_source(text)
    assert parsed.value("category") == "Strikes"  # the section's name in the original's language
    assert [name for name in parsed.headers] == [
        "title",
        "date",
        "category",
        "summary",
        "share",
        "tags",
        "placement",
        "order",
        "until",
        "languages",
        "image",
        "embargo",
        "correction",
    ]
    assert "Placement:" in result.stdout and "lead, editorial or feature" in result.stdout
    text = (  # what the editor writes in place of the template's placeholders
        text.replace("Summary: The Dockers Win.", "Summary: Nine days that stopped the port.")
        .replace("Share: The Dockers Win.", "Share: The port stood still")
        .replace("Write the article here, in Markdown.", "The dockers won.")
    )
    built = build_site(
        {"articles/the-dockers-win/en.md": text},
        strict=True,
        languages=["en"],
        PRESS_SITE_NAME="Organ",
        epoch=str(int(time.time()) + 3600),  # dated now by invoke new
    )
    assert built.returncode == 0, built.log
    assert built.problems() == []
    assert built.exists("en/the-dockers-win/index.html")


# -- invoke serve --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"PRESS_TEST_MARK={marker}".encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, what: str, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_stopped_with_sigterm_leaves_no_process(clone: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(content, {"articles/one/en.md": article("One", "Text.\n", date="2026-01-01")})
    port, marker = free_port(), uuid.uuid4().hex
    env = plain_env(PRESS_TEST_MARK=marker)
    server = subprocess.Popen(
        [
            str(INVOKE),
            "-r",
            str(clone),
            "serve",
            "--port",
            str(port),
            "--content",
            str(content),
            "--output",
            str(tmp_path / "out"),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def serving():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/one/", timeout=5) as answer:
                    return answer.status == 200
            except OSError:
                return server.poll() is not None and pytest.fail("invoke serve ended early")

        wait_for(serving, "the preview to serve the page")
        assert len(processes_with(marker)) >= 2  # invoke and pelican at least
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        wait_for(lambda: not processes_with(marker), "every process of the preview to end", timeout=30)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)


# -- publish: the environment's own tools, a real site URL -----------------------------


def test_publish_needs_a_real_site_url(clone: Path, tmp_path: Path) -> None:
    result = invoke(clone, "publish", "--root", str(tmp_path / "deploy"))
    assert result.returncode == 1
    assert "publish needs the site's real address and SITEURL is not set" in one_line(result)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(clone / "content"),
            "-s",
            str(clone / "publishconf.py"),
            "-o",
            str(tmp_path / "out"),
            "-e",
            f'PRESS_REPORT="{tmp_path / "r.json"}"',
        ],
        env=plain_env(),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert built.returncode == 2 and "Traceback" not in built.stderr
    assert "a publishing build needs the site's real address" in built.stdout + built.stderr


def test_publish_from_the_venv_without_activating_it(clone: Path, tmp_path: Path) -> None:
    vnu = PROJECT / "deploy" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not vnu.is_file() or shutil.which("java") is None:  # .ci/run installs both
        pytest.skip(f"publish checks every page with the Nu HTML checker: {vnu} or java is missing")
    env = plain_env(SOURCE_DATE_EPOCH="1790000000", PRESS_VNU_JAR=str(vnu))
    here = tmp_path / "maintainer"
    here.mkdir()
    root = here / "deploy"
    # First a publish killed (SIGKILL) in the middle of its build: it leaves no process behind ...
    marker = uuid.uuid4().hex
    killed = subprocess.Popen(
        [str(INVOKE), "-r", str(clone), "publish", "--root", "deploy", "--siteurl", SITEURL],
        cwd=here,
        env={**env, "PRESS_TEST_MARK": marker},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: list((root / "releases").glob(".incoming-*/*")), "the build to start writing")
    killed.kill()
    killed.wait()
    wait_for(lambda: not processes_with(marker), "the killed publish's build to end", timeout=30)
    assert not (root / "current").exists()
    # ... and the next publish cleans up after it and goes live.
    result = invoke(clone, "publish", "--root", "deploy", "--siteurl", SITEURL, cwd=here, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in (root / "releases").iterdir() if p.name.startswith(".")] == []
    current = os.readlink(root / "current")
    assert (root / current / "en" / "index.html").is_file()
    manifest = json.loads((root / current / "press-manifest.json").read_text(encoding="utf-8"))
    assert {"en/index.html", "en/index.html.gz"} <= {entry["path"] for entry in manifest["files"]}
    assert f'href="{SITEURL}/en/' in (root / current / "en" / "index.html").read_text(encoding="utf-8")
    listing = invoke(clone, "releases", "--root", "deploy", cwd=here, env=env)
    assert re.search(r"^\* \S+  whole \(current\)$", listing.stdout, re.M), listing.stdout
    refused = invoke(clone, "rollback", "--root", "deploy", cwd=here, env=env)
    assert refused.returncode == 1 and "no release before" in one_line(refused)
