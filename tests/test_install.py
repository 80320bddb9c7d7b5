"""The press installs by name with pip, dependencies and all, for a site outside this project (issue 23).

The fresh virtual environment gets nothing from this one: ``pip install <path>``
must bring every package the press imports, so that a site elsewhere that lists
``PLUGINS = ["press"]`` builds strictly, with search and the issue's editions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from sitebuild import FIXED_NOW, PROJECT, article, terms_toml, translation, write_tree


def constraints_from_requirements(target) -> None:
    """requirements.txt's pins as a constraints file: the same versions, nothing added."""
    lines = (PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line.strip() and not line.lstrip().startswith(("#", "-e"))]
    target.write_text("\n".join(pins) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_pip_installs_the_plugin_with_its_dependencies_and_a_site_elsewhere_builds(tmp_path):
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
    constraints = tmp_path / "constraints.txt"
    constraints_from_requirements(constraints)
    # Constraints only fix versions (the ones CI already has in pip's cache): a package
    # pyproject.toml does not declare is still not installed.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-c", str(constraints), str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    clean_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import press, weasyprint, pagefind; print(press.__file__)"],
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(fresh_site), where.stdout

    # Another press: its own folder, its own settings file naming the plugin by name.
    other = tmp_path / "other-press"
    strike = article(
        "The Strike", "The port stopped on Monday, and the dockers held the line.\n", date="2026-03-01"
    )
    issue = article(
        "The Paper No. 1",
        "The first issue of the paper.\n",
        date="2026-03-02",
        publication="communist-left",
        number="1",
        contents="strike",
    )
    write_tree(
        other / "content",
        {
            "terms.toml": terms_toml(),
            "articles/strike/en.md": strike,
            "articles/strike/sv.md": translation(
                strike, "en", "Strejken", "Hamnen stod still i måndags, och hamnarbetarna höll linjen.\n"
            ),
            "issues/paper-1/en.md": issue,
            "issues/paper-1/sv.md": translation(issue, "en", "Tidningen nr 1", "Tidningens första nummer.\n"),
        },
    )
    (other / "settings.py").write_text(
        textwrap.dedent(
            f"""
            PATH = "content"
            SITENAME = "Another Press"
            SITEURL = "https://another.example.org"
            DEFAULT_LANG = "en"
            LANGUAGES = ["en", "sv"]
            PRESS_STRICT = True
            PRESS_REPORT = "report.json"
            PRESS_SEARCH = True
            PRESS_EDITIONS = True
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
        timeout=900,
    )
    log = result.stdout + result.stderr
    report = json.loads((other / "report.json").read_text(encoding="utf-8"))
    assert result.returncode == 0, (log, report)
    assert "Traceback" not in log
    assert report == {"problems": []}
    output = other / "output"
    assert (output / "en" / "strike" / "index.html").is_file()
    assert 'hreflang="sv"' in (output / "en" / "strike" / "index.html").read_text(encoding="utf-8")
    for lang in ("en", "sv"):
        assert (output / "pagefind" / lang / "pagefind-entry.json").is_file()
        issue_folder = output / lang / "issues" / "paper-1"
        assert (issue_folder / f"paper-1-{lang}.pdf").read_bytes().startswith(b"%PDF")
        assert (issue_folder / f"paper-1-{lang}.epub").read_bytes().startswith(b"PK")
