"""A run reads with the collector's automatic passes off, writes with them on over its
frozen reading, and leaves the collector as it found it.

What a run reads lives until its end; the collector's full passes walked all of
it again each time it grew (a fifth of a rebuild at 5000 x 6).  What writing
the pages makes is garbage soon (the templates' cycles), which would grow with
the archive: it is collected, the reading frozen so that the passes skip it.
When the run ends, written or failed, nothing stays frozen and the collector is
as it was, so a process that builds again (the preview) frees each run's
objects; one that had turned it off keeps it off.
"""

from __future__ import annotations

import textwrap

from sitebuild import one_article_tree, run_driver, write_tree

DRIVER = textwrap.dedent(
    """
    import gc, json, sys

    from pelican import main

    from press.pipeline.site import generator

    reading, writing, runs = [], [], []
    write_assets = generator.PressSiteGenerator.write_assets
    generate_context = generator.PressSiteGenerator.generate_context

    def watched(self):
        writing.append([gc.isenabled(), gc.get_freeze_count()])
        return write_assets(self)

    def failing_second(self):
        runs.append(1)
        reading.append(gc.isenabled())
        if len(runs) == 2:  # after the check, before the pages
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
        after.append([gc.isenabled(), gc.get_freeze_count()])
    with open(sys.argv[1], "w") as handle:
        json.dump({"statuses": statuses, "reading": reading, "writing": writing, "after": after}, handle)
    """
)


def test_the_collector_is_off_while_a_run_reads_and_as_it_was_when_it_ends(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, one_article_tree())
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"]}
    result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
    assert seen["statuses"] == [0, 1, 0], result.stderr[-3000:]
    assert (output / "en" / "index.html").is_file()
    # off while each run reads ...
    assert seen["reading"] == [False, False, False], seen
    # ... on while the pages are written, over the frozen reading; off when the caller had it off
    (first_on, first_frozen), (third_on, _) = seen["writing"]
    assert (first_on, third_on) == (True, False) and first_frozen > 1000, seen
    # ... and as it was after every run, the failed one too, with nothing left frozen
    assert seen["after"] == [[True, 0], [True, 0], [False, 0]]


EXIT_DRIVER = textwrap.dedent(
    """
    import atexit, gc, json, sys

    from pelican import main

    after = []

    def record():  # registered before the run: it runs after the press's own exit hook
        with open(sys.argv[1], "w") as handle:
            json.dump({"after": after, "at_exit": gc.get_freeze_count()}, handle)

    atexit.register(record)
    try:
        main(sys.argv[2:])
    except SystemExit as exit:
        assert not exit.code, exit.code
    after.append(gc.get_freeze_count())
    """
)


def test_at_exit_what_the_run_read_is_left_out_of_the_last_collection(tmp_path):
    """The interpreter's last collection walked every object a run left (0.2 s of a rebuild at
    1000 x 3) only to free memory the exit returns anyway: the press freezes them first, at exit only."""
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, one_article_tree())
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"]}
    _, seen = run_driver(tmp_path, EXIT_DRIVER, content, output, overrides)
    assert (output / "en" / "index.html").is_file()
    assert seen["after"] == [0], seen  # nothing frozen while the process goes on
    assert seen["at_exit"] > 1000, seen
