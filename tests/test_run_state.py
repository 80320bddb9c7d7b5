"""The run's state is the run's (issue 23): no module global holds a Build.

The build runs in a process of its own; after Pelican's ``main`` returns (the
Pelican instance and its settings gone), no Build object may be left alive, and
no module attribute may hold one.  A second run in the same process starts from a
new Build.
"""

from __future__ import annotations

import textwrap

from sitebuild import one_article_tree, run_driver, write_tree

DRIVER = textwrap.dedent(
    """
    import gc, json, sys

    from pelican import main

    import press.build

    seen = []
    original_begin = press.build.begin

    def begin(settings):
        current = original_begin(settings)
        seen.append(id(current))
        return current

    press.build.begin = begin
    statuses = []
    for _run in range(2):
        try:
            main(sys.argv[2:])
        except SystemExit as exit:
            statuses.append(exit.code)
        else:
            statuses.append(0)
    gc.collect()
    alive = [type(thing).__name__ for thing in gc.get_objects() if isinstance(thing, press.build.Build)]
    held = sorted(
        f"{name}.{attribute}"
        for name, module in list(sys.modules.items())
        for attribute, value in list(vars(module).items())
        if isinstance(value, press.build.Build)
    )
    with open(sys.argv[1], "w") as handle:
        json.dump({"statuses": statuses, "builds": len(seen), "distinct": len(set(seen)),
                   "alive": alive, "held": held}, handle)
    """
)


def test_no_build_outlives_its_run(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, one_article_tree())
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"]}
    result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
    assert seen["statuses"] == [0, 0], result.stderr[-3000:]
    assert (output / "en" / "index.html").is_file()
    # each run made its own Build, and none survives its run, in a module or anywhere
    assert seen["builds"] == 2
    assert seen["held"] == []
    assert seen["alive"] == []
