"""Once every page is written, the search shards left are indexed side by side.

While pages are written, one Pagefind runs at a time beside them; afterwards the
build has nothing else to do, so the remaining shards run on the build's cores
(``PRESS_WORKERS``, at most ``search.TAIL_PAGEFINDS``): the clean build's Pagefind
tail at 2000 x 3 went from 11 s to 4.  The bundles are the same as one at a time.
"""

from __future__ import annotations

from sitebuild import one_build_driver, run_driver, terms_toml, write_tree
from test_reproducible import digest_tree
from test_search_shards import SHARD_PAGES, shard_tree

DRIVER = one_build_driver(
    """
    from press.pipeline import search

    # at each start, how many Pagefinds the build has started and not yet seen end (itself included)
    seen, started = [], []
    start = search.PagefindRun.start.__func__

    def watched(cls, *args, **kwargs):
        run = start(cls, *args, **kwargs)
        started.append(run)
        seen.append(sum(1 for each in started if each.status is None))
        return run

    search.PagefindRun.start = classmethod(watched)
    """,
    "seen",
)


def test_the_shards_left_when_the_pages_are_written_are_indexed_side_by_side(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"terms.toml": terms_toml(), **shard_tree(14)})
    outputs = {}
    for workers in (1, 2):
        overrides = {
            "LANGUAGES": ["en"],
            "PRESS_SEARCH_SHARD_PAGES": SHARD_PAGES,
            "PRESS_WORKERS": workers,
            "CACHE_PATH": str(tmp_path / f"cache-{workers}"),
        }
        output = outputs[workers] = tmp_path / f"output-{workers}"
        _result, seen = run_driver(tmp_path, DRIVER, content, output, overrides)
        assert max(seen) == workers, seen
        # while the pages are written, one at a time
        assert seen[0] == 1, seen
    assert len(list((outputs[2] / "pagefind" / "en").glob("[0-9]*/"))) >= 3
    assert digest_tree(outputs[1]) == digest_tree(outputs[2])
