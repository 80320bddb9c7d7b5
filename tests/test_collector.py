"""A run turns the collector's automatic passes off, and always back on.

What a run reads lives until its end; the collector's full passes walked all of
it again each time it grew (a fifth of a rebuild at 5000 x 6).  When the run
ends, written or failed, the collector is on again, so a process that builds
again (the preview) frees each run's objects; one that had turned it off keeps
it off.
"""

from __future__ import annotations

import textwrap

from sitebuild import one_article_tree, run_driver, write_tree

DRIVER = textwrap.dedent(
    """
    import gc, json, sys

    from pelican import main

    from press.pipeline.site import generator

    during, runs = [], []
    write_assets = generator.PressSiteGenerator.write_assets
    generate_context = generator.PressSiteGenerator.generate_context

    def watched(self):
        during.append(gc.isenabled())
        return write_assets(self)

    def failing_second(self):
        runs.append(1)
        if len(runs) == 2:  # after the check froze the tree, before the pages
            raise RuntimeError("a step fails inside the second run")
        return generate_context(self)

    generator.PressSiteGenerator.write_assets = watched
    generator.PressSiteGenerator.generate_context = failing_second
    statuses, after = [], []
    for run in range(3):
        if run == 2:
            gc.disable()  # the caller's choice: kept
        try:
            main(sys.argv[2:])
        except SystemExit as exit:
            statuses.append(exit.code)
        else:
            statuses.append(0)
        after.append(gc.isenabled())
    with open(sys.argv[1], "w") as handle:
        json.dump({"statuses": statuses, "during": during, "after": after}, handle)
    """
)


def test_the_collector_is_off_during_a_run_and_back_when_it_ends_written_or_failed(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, one_article_tree())
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"]}
    result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
    assert seen["statuses"] == [0, 1, 0], result.stderr[-3000:]
    assert (output / "en" / "index.html").is_file()
    # off while the pages are written ...
    assert seen["during"] == [False, False], seen
    # ... and on again after a run, the failed one too; off again when the caller had it off
    assert seen["after"] == [True, True, False]
