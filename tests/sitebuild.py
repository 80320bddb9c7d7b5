"""What the tests share: build tiny sites in temporary folders through the contract.

Imported by name (``from sitebuild import article, build_tree``); the fixtures that use it
are in conftest.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from press.content.headers import parse_source, revision_of

PROJECT = Path(__file__).resolve().parent.parent


PELICAN = [sys.executable, "-m", "pelican"]
FIXED_NOW = "1782000000"  # 2026-06-21, so placements and dates do not drift


@dataclass
class Built:
    returncode: int
    output: Path
    report: dict
    log: str
    content: Path

    def page(self, path: str) -> str:
        return (self.output / path).read_text(encoding="utf-8")

    def exists(self, path: str) -> bool:
        return (self.output / path).exists()

    def problems(self, kind: str | None = None) -> list[dict]:
        return [p for p in self.report.get("problems", []) if kind is None or p["kind"] == kind]

    def entries(self, kind: str | None = None) -> set[tuple[str, str, str, str]]:
        return {(p["kind"], p["key"], p["lang"], p["path"]) for p in self.problems(kind)}


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    """A small solid PNG in the press's red, for attachments."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (163, 18, 27)).save(buffer, "PNG")
    return buffer.getvalue()


def revision(text: str) -> str:
    return revision_of(parse_source(textwrap.dedent(text)).body)


# The terms the tests' articles name (contract §3): build_tree writes them as
# content/terms.toml unless a test gives its own.
TEST_LANGUAGES = ("en", "it", "sv", "fa", "de", "xx")
TEST_SECTIONS = {
    "strikes": ("Strikes", "Scioperi", "Strejker", "اعتصاب‌ها", "Streiks", "Strikes"),
    "party-press": (
        "Party Press",
        "Stampa di partito",
        "Partipress",
        "مطبوعات حزبی",
        "Parteipresse",
        "Party Press",
    ),
    "security-online": (
        "Security Online",
        "Sicurezza in rete",
        "Säkerhet på nätet",
        "امنیت آنلاین",
        "Sicherheit im Netz",
        "Security Online",
    ),
    "news": ("News", "Notizie", "Nyheter", "اخبار", "Nachrichten", "News"),
    "translation": ("Translation", "Traduzione", "Översättning", "ترجمه", "Übersetzung", "Translation"),
}
TEST_TAGS = {
    "schools": ("schools", "scuole", "skolor", "مدارس", "Schulen", "schools"),
    "press": ("press", "stampa", "press", "مطبوعات", "Presse", "press"),
    "media": ("media", "media", "medier", "رسانه", "Medien", "media"),
    "docks": ("docks", "porti", "hamnar", "بنادر", "Häfen", "docks"),
    "strikes": ("strikes", "scioperi", "strejker", "اعتصاب", "Streiks", "strikes"),
    "branches": ("branches", "sezioni", "avdelningar", "شعبه‌ها", "Ortsgruppen", "branches"),
}
TEST_PUBLICATIONS = {
    "communist-left": (
        "The Communist Left",
        "La Sinistra Comunista",
        "Kommunistiska vänstern",
        "چپ کمونیست",
        "Die Kommunistische Linke",
        "The Communist Left",
    ),
}


def terms_toml(
    sections: dict = TEST_SECTIONS, tags: dict = TEST_TAGS, publications: dict = TEST_PUBLICATIONS
) -> str:
    """A terms.toml: {key: (name per TEST_LANGUAGES)} for each kind."""
    lines = []
    for kind, terms in (("sections", sections), ("tags", tags), ("publications", publications)):
        for key, names in terms.items():
            lines.append(f"[{kind}.{key}]")
            lines += [
                f"{lang} = {name!r}".replace("'", '"')
                for lang, name in zip(TEST_LANGUAGES, names, strict=False)
            ]
            lines.append("")
    return "\n".join(lines)


def terms_document(**kinds: dict[str, dict[str, str]]) -> str:
    """A terms.toml from ``sections=``/``tags=``/``publications=`` given as {key: {lang: name}}."""
    lines = []
    for kind, terms in kinds.items():
        for key, names in terms.items():
            lines.append(f"[{kind}.{key}]")
            lines += [f"{lang} = {json.dumps(name, ensure_ascii=False)}" for lang, name in names.items()]
            lines.append("")
    return "\n".join(lines)


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def run_pelican(
    content: Path,
    output: Path,
    report: Path,
    *,
    settings_file: str = "pelicanconf.py",
    overrides: dict | None = None,
    epoch: str | None = FIXED_NOW,
) -> subprocess.CompletedProcess:
    command = [*PELICAN, str(content), "-s", str(PROJECT / settings_file), "-o", str(output)]
    # A development build makes the printed editions only where a test asks for them (as
    # pelicanconf.py does): WeasyPrint would set every issue of every test site.
    quiet = {"PRESS_EDITIONS": False} if settings_file == "pelicanconf.py" else {}
    values = {"PRESS_REPORT": str(report), **quiet, **(overrides or {})}
    command.append("-e")
    command.extend(f"{key}={json.dumps(value)}" for key, value in values.items())
    env = dict(os.environ, COLUMNS="200")
    # A publishing build needs a real address; tests publish to this one unless they give SITEURL.
    env.setdefault("PRESS_SITEURL", "https://press.example.org")
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(PROJECT), timeout=600)


def one_article_tree() -> dict[str, str]:
    """The smallest tree that publishes a page: one English article and the terms it names."""
    return {
        "terms.toml": terms_toml(),
        "articles/strike/en.md": article(
            "Dockers strike",
            "Dockers at the port voted to strike on Monday.\n",
            date="2026-05-01",
            category="strikes",
            languages="en",
        ),
    }


def run_driver(
    tmp_path: Path, driver: str, content: Path, output: Path, overrides: dict
) -> tuple[subprocess.CompletedProcess, dict]:
    """Run a build through ``driver`` (Python source that calls Pelican's ``main`` and writes a
    JSON record to ``sys.argv[1]``; Pelican's arguments follow) in a process of its own; the
    finished process and the record."""
    script, record = tmp_path / "driver.py", tmp_path / "driver-record.json"
    script.write_text(driver, encoding="utf-8")
    values = {"PRESS_REPORT": str(tmp_path / "report.json"), "PRESS_EDITIONS": False, **overrides}
    command = [sys.executable, str(script), str(record), str(content), "-s", str(PROJECT / "pelicanconf.py")]
    command += ["-o", str(output), "-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW)
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, json.loads(record.read_text(encoding="utf-8"))


def one_build_driver(setup: str, record: str) -> str:
    """A driver for :func:`run_driver`: ``setup`` (Python run first), one build through Pelican's
    ``main`` that must succeed, then the value of the expression ``record`` written as JSON."""
    head = "import json, sys\n\nfrom pelican import main\n"
    tail = (
        "try:\n    main(sys.argv[2:])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        f'with open(sys.argv[1], "w") as handle:\n    json.dump({record}, handle)\n'
    )
    return head + textwrap.dedent(setup) + tail


def build_tree(
    root: Path,
    files: dict[str, str | bytes],
    *,
    settings_file: str = "pelicanconf.py",
    overrides: dict | None = None,
    epoch: str | None = FIXED_NOW,
) -> Built:
    """Write ``files`` to ROOT/content and build it into ROOT/output (report: ROOT/report.json)."""
    content, output, report = root / "content", root / "output", root / "report.json"
    if not (content / "terms.toml").exists():
        files = {"terms.toml": terms_toml(), **files}
    write_tree(content, files)
    result = run_pelican(
        content, output, report, settings_file=settings_file, overrides=overrides, epoch=epoch
    )
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Built(result.returncode, output, data, log, content)


def build_module_site(root: Path, files: dict[str, str | bytes], **kwargs) -> Built:
    """``build_tree`` for a module-scoped site that the module's tests only read: it must build."""
    built = build_tree(root, files, **kwargs)
    assert built.returncode == 0, built.log
    return built


def article(title: str, body: str = "Body text of the article.\n", **headers: str) -> str:
    """A content file: Title, then the given headers, a blank line, the body."""
    lines = [f"Title: {title}"]
    lines += [f"{name.replace('_', '-').title()}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body).lstrip("\n")


def translation(original: str, lang: str, title: str, body: str, **headers: str) -> str:
    """A translation stamped with the original's current revision."""
    stamp = revision_of(parse_source(original).body)
    return article(title, body, translation_of=f"{lang}@{stamp}", **headers)
