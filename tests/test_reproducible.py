"""Reproducible output (issue 5): the same input and SOURCE_DATE_EPOCH give byte-identical sites."""

from __future__ import annotations

import hashlib
import json

from sitebuild import PROJECT, run_pelican


def digest_tree(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_two_strict_builds_of_the_sample_content_are_byte_identical(tmp_path):
    digests = []
    for run in ("first", "second"):
        result = run_pelican(
            PROJECT / "content",
            tmp_path / run,
            tmp_path / f"{run}.json",
            settings_file="publishconf.py",
            overrides={"CACHE_PATH": str(tmp_path / f"cache-{run}"), "SITEURL": "https://press.example.org"},
            epoch="1790000000",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        digests.append(digest_tree(tmp_path / run))
    first, second = digests
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith("feed.xml") for name in first)
    assert (tmp_path / "first.json").read_text() == (tmp_path / "second.json").read_text()
    # the strict build of the sample content passes with an empty report
    assert json.loads((tmp_path / "first.json").read_text()) == {"problems": []}


def test_pages_rendered_on_several_cores_equal_pages_rendered_on_one(tmp_path):
    """Bodies, comparisons and pages are made on several cores: same pages, same report."""
    from bench.generate import generate_tree

    generate_tree(tmp_path / "tree", articles=80, languages=3)
    articles = sorted((tmp_path / "tree" / "content" / "articles").iterdir())
    # what preparing a body or comparing versions reports must come back from the workers
    with open(articles[3] / "it.md", "a", encoding="utf-8") as handle:
        handle.write("\n<script>alert(1)</script>\n\n[out](../../../../etc/passwd)\n")
    with open(articles[5] / "sv.md", "w", encoding="utf-8") as handle:
        handle.write("Title: Kort\nTranslation-Of: en@000000000000\n\nEn mening.\n")
    digests, reports = [], []
    for workers in (1, 2):
        result = run_pelican(
            tmp_path / "tree" / "content",
            tmp_path / f"out-{workers}",
            tmp_path / f"report-{workers}.json",
            overrides={
                "LANGUAGES": ["en", "it", "sv"],
                "PRESS_WORKERS": workers,
                "CACHE_PATH": str(tmp_path / f"cache-{workers}"),
            },
            epoch="1790000000",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        digests.append(digest_tree(tmp_path / f"out-{workers}"))
        reports.append((tmp_path / f"report-{workers}.json").read_text(encoding="utf-8"))
    assert len([name for name in digests[0] if name.endswith(".html")]) > 250
    assert digests[0] == digests[1]
    assert reports[0] == reports[1]
    kinds = {(problem["kind"], problem["path"]) for problem in json.loads(reports[1])["problems"]}
    assert ("unsafe-html", f"articles/{articles[3].name}/it.md") in kinds
    assert ("unsafe-file", f"articles/{articles[3].name}/it.md") in kinds
    assert ("incomplete", f"articles/{articles[5].name}/sv.md") in kinds
