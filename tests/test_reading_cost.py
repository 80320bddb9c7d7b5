"""Reading an archive makes one tag object per tag name, not one per article.

Pelican groups articles by their ``Category`` and ``Tag`` objects, hashed by a
slug each object makes once; a new object for every article and tag made a
slug for each (a tenth of reading an unchanged archive).  The run keeps one
object per name, whether the reading is made anew or carried from an earlier
process.
"""

from __future__ import annotations

from sitebuild import article, one_build_driver, run_driver, terms_toml, write_tree

DRIVER = one_build_driver(
    """
    import pelican.urlwrappers

    slugged = []
    slugify = pelican.urlwrappers.slugify

    def counted(value, *args, **kwargs):
        slugged.append(value)
        return slugify(value, *args, **kwargs)

    pelican.urlwrappers.slugify = counted
    """,
    "slugged",
)


def test_one_slug_per_tag_and_section_name_whether_read_anew_or_carried(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    files = {"terms.toml": terms_toml()}
    for number in range(8):
        files[f"articles/strike-{number}/en.md"] = article(
            f"Dockers strike, day {number}",
            "Dockers at the port voted to strike.\n",
            date=f"2026-05-0{number + 1}",
            category="strikes",
            tags="docks, wages",
            languages="en",
        )
    write_tree(content, files)
    overrides = {"PRESS_SEARCH": False, "LANGUAGES": ["en"], "CACHE_PATH": str(tmp_path / "cache")}
    for run in ("read anew", "carried"):
        result, slugged = run_driver(tmp_path, DRIVER, content, output, overrides)
        assert (output / "en" / "strike-7" / "index.html").is_file(), result.stderr[-2000:]
        # once for the object; Pelican compares one name with a string once more, whatever the count
        counts = {name: slugged.count(name) for name in ("docks", "wages", "strikes")}
        assert all(1 <= count <= 2 for count in counts.values()), (run, slugged)
