"""Incremental rebuilds (issue 7): only what depends on a change is written, and the
result is exactly what a clean build writes."""

from __future__ import annotations

import shutil

from conftest import PROJECT, run_pelican
from test_reproducible import digest_tree

EPOCH = "1790000000"


def build(content, output, cache, report):
    result = run_pelican(content, output, report, overrides={"CACHE_PATH": str(cache)}, epoch=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def mtimes(root):
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*.html")}


def test_rebuild_after_editing_one_article_equals_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    output = tmp_path / "output"
    build(content, output, tmp_path / "cache", tmp_path / "r1.json")
    before = mtimes(output)

    original = content / "articles" / "metadata-tells" / "en.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    shutil.rmtree(content / "articles" / "phishing-season")
    build(content, output, tmp_path / "cache", tmp_path / "r2.json")
    after = mtimes(output)

    clean = tmp_path / "clean"
    build(content, clean, tmp_path / "clean-cache", tmp_path / "r3.json")
    assert digest_tree(output) == digest_tree(clean)

    rewritten = {path for path in after if before.get(path) != after[path]}
    assert "en/metadata-tells/index.html" in rewritten
    assert "it/metadata-tells/index.html" in rewritten  # now stale: it carries the notice
    assert "en/index.html" in rewritten
    assert "en/why-a-central-organ/index.html" not in rewritten
    assert "fa/persian-edition/index.html" not in rewritten
    assert len(rewritten) < len(after) / 2
    assert not (output / "en" / "phishing-season").exists() or not any(
        (output / "en" / "phishing-season").iterdir()
    )
