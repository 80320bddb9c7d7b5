"""The press installs with pip and works listed by name, for a site outside this project (issue 13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest
from conftest import FIXED_NOW, PROJECT, article, translation, write_tree


@pytest.mark.slow
def test_pip_installs_the_plugin_and_a_site_elsewhere_lists_it_by_name(tmp_path):
    # The package as a release holds it: pyproject.toml and plugins/press, nothing else.
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", source)
    shutil.copytree(
        PROJECT / "plugins" / "press",
        source / "plugins" / "press",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(fresh)], check=True, timeout=300)
    python = fresh / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # The dependencies (Pelican, Babel, …) come from this environment's site-packages; its
    # .pth files (the editable install of this worktree) are not read, so only the fresh
    # install provides `press`.
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with open(os.path.join(fresh_site, "press-test-dependencies.pth"), "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import press; print(press.__file__)"], capture_output=True, text=True
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(fresh_site), where.stdout

    # Another press: its own folder, its own settings file naming the plugin by name.
    other = tmp_path / "other-press"
    strike = article("The Strike", "The port stopped.\n", date="2026-03-01")
    write_tree(
        other / "content",
        {
            "articles/strike/en.md": strike,
            "articles/strike/sv.md": translation(strike, "en", "Strejken", "Hamnen stod still.\n"),
        },
    )
    (other / "settings.py").write_text(
        textwrap.dedent(
            f"""
            PATH = "content"
            SITENAME = "Another Press"
            DEFAULT_LANG = "en"
            LANGUAGES = ["en", "sv"]
            PRESS_STRICT = False
            PRESS_REPORT = "report.json"
            PRESS_SEARCH = False
            THEME = {str(PROJECT / "theme")!r}
            PRESS_TRANSLATIONS = {str(PROJECT / "translations")!r}
            PLUGINS = ["press"]
            """
        ),
        encoding="utf-8",
    )
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="200")
    result = subprocess.run(
        [str(python), "-m", "pelican", "content", "-s", "settings.py", "-o", "output"],
        cwd=other,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Traceback" not in log
    assert (other / "output" / "en" / "strike" / "index.html").is_file()
    assert (other / "output" / "sv" / "strike" / "index.html").is_file()
    assert json.loads((other / "report.json").read_text(encoding="utf-8")) == {"problems": []}
    assert 'hreflang="sv"' in (other / "output" / "en" / "strike" / "index.html").read_text(encoding="utf-8")
