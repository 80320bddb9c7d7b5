"""The benchmark harness: deterministic trees the press builds cleanly, and honest target tables."""

from __future__ import annotations

import json
from pathlib import Path

from sitebuild import run_pelican

from bench import generate, run


def tree_files(root: Path) -> dict[str, bytes]:
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): path.read_bytes() for path in files}


def test_generated_tree_is_deterministic_and_builds_strictly_without_problems(tmp_path):
    generate.generate_tree(tmp_path / "a", articles=12, languages=3)
    generate.generate_tree(tmp_path / "b", articles=12, languages=3)
    first, second = tree_files(tmp_path / "a"), tree_files(tmp_path / "b")
    assert first == second
    assert sum(1 for name in first if name.startswith("content/articles/") and name.endswith(".md")) == 36

    report = tmp_path / "report.json"
    result = run_pelican(
        tmp_path / "a" / "content",
        tmp_path / "out",
        report,
        settings_file="publishconf.py",
        overrides={
            "LANGUAGES": list(generate.LANGUAGE_ORDER[:3]),
            "PRESS_SEARCH": False,
            "SITEURL": "",
            "PRESS_PUBLISHING": False,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["problems"] == []
    assert (tmp_path / "out" / "sv" / "index.html").is_file()


def build(config: str, kind: str, wall: float, rss_mib: int, pages=1000, articles=1000) -> run.Build:
    return run.Build(
        config, articles, 3, kind, 1, wall=wall, max_rss_kib=rss_mib * 1024, returncode=0, pages=pages
    )


def test_targets_table_computes_ratios_from_medians_and_marks_each_target(tmp_path, capsys):
    builds = [
        *(build("press", "clean", wall, 150) for wall in (10.0, 12.0, 30.0)),  # median 12
        *(build("pelican", "clean", wall, 100) for wall in (20.0, 16.0, 18.0)),  # median 18
        *(build("i18n_subsites", "clean", wall, 120) for wall in (50.0, 48.0, 60.0)),  # median 50
        *(build("press", "rebuild", wall, 150) for wall in (1.0, 1.2, 1.1)),  # median 1.1
        build("press", "clean", 3.6, 90, pages=250, articles=250),
        build("pelican", "clean", 4.0, 40, pages=250, articles=250),
    ]
    rows = run.rows_of(builds, list(run.KNOWN_CONFIGS))
    figures = {(f["articles"], f["languages"]): f for f in run.target_figures(rows)}
    big = figures[(1000, 3)]
    assert big["clean build ÷ pelican"] == 12 / 18
    assert big["i18n_subsites ÷ clean build"] == 50 / 12
    assert big["rebuild ÷ clean build"] == 1.1 / 12
    assert big["peak RSS ÷ pelican"] == 1.5
    assert big["ms per page"] == 12.0
    small = figures[(250, 3)]
    assert small["i18n_subsites ÷ clean build"] is None
    assert small["peak RSS ÷ pelican"] == 2.25

    table = run.format_targets(rows)
    line_1000 = next(line for line in table.splitlines() if line.startswith("| 1000 | 3 |"))
    assert "0.67 ✔ (≤ 0.75)" in line_1000
    assert "4.17 ✔ (≥ 3.5)" in line_1000
    assert "0.09 ✔ (≤ 0.1)" in line_1000
    assert "1.50 ✔ (≤ 1.5)" in line_1000
    line_250 = next(line for line in table.splitlines() if line.startswith("| 250 | 3 |"))
    assert "0.90 ✘ (≤ 0.75)" in line_250
    assert "2.25 ✘ (≤ 1.5)" in line_250
    # 14.4 and 12.0 ms per page: each 9% from their mean, inside ±25%.
    assert "14.4 (+9%) ✔" in line_250 and "12.0 (-9%) ✔" in line_1000

    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps([run.dataclasses.asdict(b) for b in builds]), encoding="utf-8")
    assert run.main(["--from-json", str(saved)]) == 0
    printed = capsys.readouterr().out
    assert "| press (rebuild) | 1000 | 3 |" in printed
    assert table in printed


def test_reprinting_something_else_fails_with_a_message(tmp_path, capsys):
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"not": "builds"}', encoding="utf-8")
    assert run.main(["--from-json", str(wrong)]) == 2
    assert "not a file written by --json" in capsys.readouterr().err


def test_a_missing_i18n_subsites_package_is_named_before_anything_is_built(monkeypatch, capsys):
    def not_installed(name):
        if name == "pelican-i18n-subsites":
            raise run.importlib.metadata.PackageNotFoundError(name)
        return "1.0"

    monkeypatch.setattr(run.importlib.metadata, "version", not_installed)
    assert run.main(["--sizes", "2x1", "--configs", "i18n_subsites"]) == 2
    assert "install requirements-dev.txt" in capsys.readouterr().err
    assert run.missing_packages(["press", "pelican"]) == []
