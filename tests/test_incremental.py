"""Incremental rebuilds (issue 7): only what depends on a change is written, and the
result is exactly what a clean build writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from sitebuild import PROJECT, run_pelican
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


# Runs the way `pelican --autoreload` (invoke serve) does: one process, one
# Pelican instance, run() again after an edit.  One worker, so that every
# rendering happens in this process, where it is counted.
AUTORELOAD_SCRIPT = """
from pelican import get_instance, parse_arguments
import press.html.render

rendered = []
real_render = press.html.render.render_markdown
def counting_render(options, body):
    rendered.append(body)
    return real_render(options, body)
press.html.render.render_markdown = counting_render

args = parse_arguments([{content!r}, "-s", {settings!r}, "-o", {output!r}, "-e",
                        {cache!r}, {report!r}, "PRESS_SEARCH=false", "PRESS_WORKERS=1",
                        "PRESS_EDITIONS=false"])
pelican, _ = get_instance(args)
pelican.run()
first = len(rendered)
with open({edited!r}, "a", encoding="utf-8") as handle:
    handle.write("\\nA sentence added while the preview server runs.\\n")
pelican.run()
print("RENDERED", first, len(rendered) - first)
"""


def test_a_second_run_in_the_same_process_renders_only_the_edited_body(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    script = AUTORELOAD_SCRIPT.format(
        content=str(content),
        settings=str(PROJECT / "pelicanconf.py"),
        output=str(tmp_path / "output"),
        cache="CACHE_PATH=" + json.dumps(str(tmp_path / "cache")),
        report="PRESS_REPORT=" + json.dumps(str(tmp_path / "report.json")),
        edited=str(content / "articles" / "metadata-tells" / "en.md"),
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, env=env, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = [line.split() for line in result.stdout.splitlines() if line.startswith("RENDERED")]
    assert counts, result.stdout + result.stderr
    _, first, second = counts[-1]
    assert int(first) > 40  # the first run rendered the whole sample tree
    assert int(second) == 1  # the second only the edited body
