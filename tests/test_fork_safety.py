"""No fork while a second thread runs: a build with search on two workers (issue 23).

A thread that holds a lock (logging's, the import lock, malloc's) when the
process forks leaves that lock held forever in the child.  The build runs in a
process of its own, with a fork hook that records how many threads were alive
at each fork of the build's workers.
"""

from __future__ import annotations

import textwrap

from sitebuild import article, run_driver, terms_toml, write_tree

DRIVER = textwrap.dedent(
    """
    import json, os, sys, threading

    forks = []

    def record():
        forks.append([threading.active_count(), sorted(t.name for t in threading.enumerate())])

    os.register_at_fork(before=record)
    from pelican import main

    try:
        main(sys.argv[2:])
    except SystemExit as exit:
        status = exit.code
    else:
        status = 0
    with open(sys.argv[1], "w") as handle:
        json.dump({"forks": forks, "status": status}, handle)
    """
)


def test_no_fork_with_a_second_thread_alive(tmp_path):
    files = {"terms.toml": terms_toml()}
    for number in range(120):  # above the parallel threshold, in both languages
        key = f"article-{number:03d}"
        files[f"articles/{key}/en.md"] = article(
            f"Report number {number}",
            f"Workers at plant {number} met on Tuesday and voted to strike.\n",
            date="2026-05-01",
            category="strikes",
            languages="en",
        )
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, files)
    overrides = {
        "PRESS_WORKERS": 2,
        "PRESS_SEARCH": True,
        "LANGUAGES": ["en"],
    }
    result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
    assert seen["status"] in (0, None), result.stderr
    # the workers were forked (bodies and pages), and Pagefind indexed the edition
    assert len(seen["forks"]) >= 2, (seen, result.stderr[-3000:])
    assert (output / "pagefind" / "en" / "pagefind-entry.json").is_file()
    assert [count for count, _names in seen["forks"]] == [1] * len(seen["forks"]), seen["forks"]
