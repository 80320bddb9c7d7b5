"""A link to an article that is not published is shown as its words, never as an address.

An article may link (``{filename}``) to one dated later, a draft or one under
embargo: the build that publishes the first must not point readers at the
second's source file (a dead link, whose address names a key not yet public).
When the second comes out, the link comes back, in a new process with the
carried records too.  A translator's link to a version that does not exist
leads to another version of that key; a link to no key at all is words, with a
warning naming the file.
"""

from __future__ import annotations

import pytest
from sitebuild import article, build_tree, terms_toml, translation
from test_reproducible import digest_tree

BEFORE = "1782000000"  # 2026-06-21
AFTER = "1790000000"  # 2026-09-21


def files() -> dict[str, str]:
    dockers = article(
        "Dockers strike",
        "See [the plan for the autumn]({filename}../autumn-plan/en.md) before Monday.\n",
        date="2026-05-01",
        category="strikes",
    )
    return {
        "terms.toml": terms_toml(),
        "articles/dockers/en.md": dockers,
        "articles/autumn-plan/en.md": article(
            "The plan for the autumn", "Kept until September.\n", date="2026-09-01", category="strikes"
        ),
    }


def test_a_link_to_an_article_dated_later_is_words_until_it_is_out(tmp_path):
    overrides = {"LANGUAGES": ["en"], "PRESS_SEARCH": False, "CACHE_PATH": str(tmp_path / "cache")}
    built = build_tree(tmp_path / "site", files(), overrides=overrides, epoch=BEFORE)
    assert built.returncode == 0, built.log
    page = (built.output / "en" / "dockers" / "index.html").read_text(encoding="utf-8")
    assert "<a>the plan for the autumn</a>" in page
    # shown as the text around it, not in the links' colour
    (stylesheet,) = (built.output / "assets").glob("press.*.css")
    assert "a:not([href]) { color: inherit; }" in stylesheet.read_text(encoding="utf-8")
    for path in built.output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "autumn-plan" not in path.read_text(encoding="utf-8"), path
    assert "Use {static} instead" not in built.log and "Unable to find" not in built.log, built.log

    # September: the plan is out, and the link with it (the same output and records)
    later = build_tree(tmp_path / "site", {}, overrides=overrides, epoch=AFTER)
    assert later.returncode == 0, later.log
    page = (later.output / "en" / "dockers" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../en/autumn-plan/">the plan for the autumn</a>' in page
    clean = build_tree(
        tmp_path / "clean",
        files(),
        overrides={**overrides, "CACHE_PATH": str(tmp_path / "fresh")},
        epoch=AFTER,
    )
    assert digest_tree(later.output) == digest_tree(clean.output)


def test_a_translators_link_to_a_missing_version_leads_to_another_of_its_key(tmp_path):
    tree = files()
    tree["articles/autumn-plan/en.md"] = article(
        "The plan for the autumn", "Out now.\n", date="2026-05-02", category="strikes"
    )
    tree["articles/dockers/it.md"] = translation(
        tree["articles/dockers/en.md"],
        "en",
        "Sciopero dei portuali",
        "Vedi [il piano per l'autunno]({filename}../autumn-plan/it.md) prima di lunedì.\n",
    )
    built = build_tree(tmp_path, tree, overrides={"LANGUAGES": ["en", "it"], "PRESS_SEARCH": False})
    page = (built.output / "it" / "dockers" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../en/autumn-plan/">il piano per l\'autunno</a>' in page, page


def test_a_link_to_no_key_is_words_and_a_warning_naming_the_file(tmp_path):
    tree = files()
    tree["articles/dockers/en.md"] = tree["articles/dockers/en.md"].replace("autumn-plan", "autumn-plans")
    built = build_tree(tmp_path, tree, overrides={"LANGUAGES": ["en"], "PRESS_SEARCH": False})
    assert built.returncode == 0, built.log
    page = (built.output / "en" / "dockers" / "index.html").read_text(encoding="utf-8")
    assert "<a>the plan for the autumn</a>" in page
    assert "{filename}" not in page
    assert (
        "articles/dockers/en.md: the link to ../autumn-plans/en.md leads to no article or page" in built.log
    )


@pytest.mark.parametrize("engine", ["gfm", "python-markdown"])  # only cmark decodes %20 itself
def test_a_link_to_a_file_that_is_not_there_is_words_and_a_warning_not_a_placeholder(tmp_path, engine):
    tree = files()
    tree["articles/dockers/en.md"] = article(
        "Dockers strike",
        "Read [the leaflet]({filename}leaflet.pdf), [the poster]({static}poster.pdf), "
        "[the minutes]({attach}minutes.pdf), [the agenda]({static}the%20agenda.pdf) "
        "and [the text]({filename}/etc/passwd).\n",
        date="2026-05-01",
        category="strikes",
    )
    tree["articles/dockers/leaflet.pdf"] = b"%PDF-1.4 leaflet"
    tree["articles/dockers/the agenda.pdf"] = b"%PDF-1.4 agenda"  # linked as Pelican finds it, unquoted
    built = build_tree(
        tmp_path, tree, overrides={"LANGUAGES": ["en"], "PRESS_SEARCH": False, "PRESS_MARKDOWN": engine}
    )
    assert built.returncode == 0, built.log
    page = (built.output / "en" / "dockers" / "index.html").read_text(encoding="utf-8")
    assert "{filename}" not in page and "{static}" not in page and "{attach}" not in page
    assert 'href="../../articles/dockers/leaflet.pdf">the leaflet</a>' in page  # there: linked
    assert ">the agenda</a>" in page and "<a>the agenda</a>" not in page
    for words, missing in (
        ("the poster", "articles/dockers/poster.pdf"),
        ("the minutes", "articles/dockers/minutes.pdf"),
        ("the text", "etc/passwd"),
    ):
        assert f"<a>{words}</a>" in page
        assert f"leads to no file of the content folder ({missing} is not there" in built.log
