"""The run freezes what it has read for the garbage collector, and always thaws it.

From the end of the check to the end of the pages, the tree and what Pelican read
are frozen (``gc.freeze``): the collector's full passes skip them.  When the run
ends, written or failed, nothing stays frozen, so a process that builds again
(the preview) frees each run's objects.
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
        during.append(gc.get_freeze_count())
        return write_assets(self)

    def failing_second(self):
        runs.append(1)
        if len(runs) == 2:  # after the check froze the tree, before the pages
            raise RuntimeError("a step fails inside the second run")
        return generate_context(self)

    generator.PressSiteGenerator.write_assets = watched
    generator.PressSiteGenerator.generate_context = failing_second
    statuses, after = [], []
    for _run in range(2):
        try:
            main(sys.argv[2:])
        except SystemExit as exit:
            statuses.append(exit.code)
        else:
            statuses.append(0)
        after.append(gc.get_freeze_count())
    with open(sys.argv[1], "w") as handle:
        json.dump({"statuses": statuses, "during": during, "after": after}, handle)
    """
)


def test_what_a_run_froze_is_thawed_when_it_ends_written_or_failed(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, one_article_tree())
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"]}
    result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
    assert seen["statuses"] == [0, 1], result.stderr[-3000:]
    assert (output / "en" / "index.html").is_file()
    # frozen while the pages are written (the tree, Pelican's contents) ...
    assert len(seen["during"]) == 1 and seen["during"][0] > 1000, seen
    # ... and nothing is left frozen after either run, the failed one too
    assert seen["after"] == [0, 0]
