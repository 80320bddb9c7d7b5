"""The live preview (issue 13): between the runs of `pelican --autoreload` the press keeps the
content it read, re-reads only what changed, rewrites only the pages whose inputs changed, and
the result (search index included) is byte-identical to a clean build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from sitebuild import PROJECT, run_pelican
from test_reproducible import digest_tree

EPOCH = "1790000000"

# Runs the way `pelican --autoreload` (invoke serve) does: one process, one
# Pelican instance, run() again after each edit.  The search index of an edited
# language is built in the background; the script waits for it before it ends,
# as the next run would.
PREVIEW_SCRIPT = """
import os
from pelican import get_instance, parse_arguments
from press.pipeline import session

def mtimes(root):
    found = {{}}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = os.stat(path).st_mtime_ns
    return found

# PRESS_EDITIONS off, as --autoreload turns it off (this script runs Pelican as the preview does)
args = parse_arguments([{content!r}, "-s", {settings!r}, "-o", {output!r}, "-e",
                        {cache!r}, {report!r}, "PRESS_EDITIONS=false"])
pelican, _ = get_instance(args)
pelican.run()
for edit in ({edits!r}):
    before = mtimes({output!r})
    path, text = edit
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
    pelican.run()
    reused = session.current_session().reused
    kept = len(session.current_session().contents)
    session.current_session().wait_for_background()
    after = mtimes({output!r})
    rewritten = sorted(p for p in after if before.get(p) != after[p] and p.endswith(".html"))
    print("RUN", reused, kept, " ".join(rewritten), flush=True)
"""


def test_preview_runs_reuse_what_did_not_change_and_equal_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    output = tmp_path / "output"
    edited = content / "articles" / "metadata-tells" / "en.md"
    translated = content / "articles" / "why-a-central-organ" / "it.md"
    edits = [
        (str(edited), "\nA sentence added while the preview server runs.\n"),
        (str(translated), "\nUna frase aggiunta.\n"),
    ]
    script = PREVIEW_SCRIPT.format(
        content=str(content),
        settings=str(PROJECT / "pelicanconf.py"),
        output=str(output),
        cache="CACHE_PATH=" + json.dumps(str(tmp_path / "cache")),
        report="PRESS_REPORT=" + json.dumps(str(tmp_path / "report.json")),
        edits=tuple(edits),
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, env=env, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("RUN")]
    assert len(runs) == 2, result.stdout + result.stderr
    for reused, kept, *rewritten in runs:
        # Only the edited key's versions (4 at most here) were read again.
        assert int(kept) - 4 <= int(reused) < int(kept), (reused, kept)
        assert rewritten, result.stdout
    first = runs[0][2:]
    assert "en/metadata-tells/index.html" in first
    assert "it/metadata-tells/index.html" in first  # now stale: it carries the notice
    assert "en/why-a-central-organ/index.html" not in first
    assert "fa/persian-edition/index.html" not in first
    second = runs[1][2:]
    assert "it/why-a-central-organ/index.html" in second
    assert "en/metadata-tells/index.html" not in second

    clean = tmp_path / "clean"
    built = run_pelican(
        content, clean, tmp_path / "clean.json", overrides={"CACHE_PATH": str(tmp_path / "c2")}, epoch=EPOCH
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert digest_tree(output) == digest_tree(clean)


RERUN_SCRIPT = """
from pelican import get_instance, parse_arguments
from press.pipeline import session

args = parse_arguments([{content!r}, "-s", {settings!r}, "-o", {output!r}, "-e",
                        {cache!r}, {report!r}, "PRESS_SEARCH=false", 'LANGUAGES=["en"]', 'DEFAULT_LANG="en"',
                        "PRESS_EDITIONS=false"])
pelican, _ = get_instance(args)
pelican.run()
with open({edited!r}, "a", encoding="utf-8") as handle:
    handle.write("\\nAnother sentence.\\n")
pelican.run()
print("REUSED", session.current_session().reused)
"""


def test_a_reused_file_still_reports_what_reading_it_found(tmp_path):
    from sitebuild import article, write_tree

    content = tmp_path / "content"
    write_tree(
        content,
        {
            "articles/planted/en.md": article(
                "Planted", "Text.\n\n<script>alert(1)</script>\n", date="2026-01-02"
            ),
            "articles/plain/en.md": article("Plain", "Plain text.\n", date="2026-01-03"),
        },
    )
    report = tmp_path / "report.json"
    script = RERUN_SCRIPT.format(
        content=str(content),
        settings=str(PROJECT / "pelicanconf.py"),
        output=str(tmp_path / "output"),
        cache="CACHE_PATH=" + json.dumps(str(tmp_path / "cache")),
        report="PRESS_REPORT=" + json.dumps(str(report)),
        edited=str(content / "articles" / "plain" / "en.md"),
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, env=env, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "REUSED 1" in result.stdout, result.stdout + result.stderr  # planted/en.md was not read again
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert [(p["kind"], p["path"]) for p in problems if p["kind"] == "unsafe-html"] == [
        ("unsafe-html", "articles/planted/en.md")
    ]
