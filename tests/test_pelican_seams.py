"""What the press relies on inside Pelican and rich (press/pipeline/pelican_seams.py).

These fail when an upgrade changes a private part the press uses, so that the
upgrade is noticed here rather than as a build that hangs or goes wrong.
"""

from __future__ import annotations

import threading

from press.pipeline import pelican_seams


def test_the_status_animation_thread_is_stopped_and_the_display_still_closes():
    from pelican.log import console

    assert isinstance(console._live_stack, list)
    with console.status("Generating..."):
        live = console._live_stack[-1]
        assert live._refresh_thread is not None and live._refresh_thread.is_alive()
        thread = live._refresh_thread
        pelican_seams.stop_status_animation()
        assert live._refresh_thread is None
        assert not thread.is_alive()
        assert thread not in threading.enumerate()
    assert console._live_stack == []


def test_pelican_still_has_every_private_part_the_press_uses(tmp_path):
    import inspect
    import re

    from pelican import Pelican
    from pelican.contents import Article, Content
    from pelican.generators import ArticlesGenerator, Generator
    from pelican.utils import SafeDatetime, memoized

    # replace_run: a run is one method of the instance, called by pelican.main
    assert inspect.isfunction(Pelican.run) and list(inspect.signature(Pelican.run).parameters) == ["self"]
    # replace_file_listing / replace_content_cache: the generator's own methods that the press replaces
    assert list(inspect.signature(Generator.get_files).parameters)[:4] == [
        "self",
        "paths",
        "exclude",
        "extensions",
    ]
    assert {"get_cached_data", "cache_data"} <= set(dir(ArticlesGenerator))
    # skip_static_link_collection: the generator's method that gathers each content's static links
    assert list(inspect.signature(Generator.add_static_links).parameters) == ["self", "content"]
    assert 'context["static_links"]' in inspect.getsource(Generator.add_static_links)
    # ... which finds nothing the static generator does not list already: every folder an
    # accepted attachment can be in is one of the STATIC_PATHS the press forces
    from press.content.tree import KINDS
    from press.pelican_mechanics import PELICAN_MECHANICS

    assert set(PELICAN_MECHANICS["STATIC_PATHS"]) == {*KINDS, "images"}
    # skip_article_pages: generate_pages writes only pages whose *_SAVE_AS the press switches off
    source = inspect.getsource(ArticlesGenerator.generate_pages)
    written = {"generate_articles", "generate_period_archives", "generate_direct_templates"}
    written |= {"generate_tags", "generate_categories", "generate_authors", "generate_drafts"}
    assert set(re.findall(r"self\.(generate_\w+)\(", source)) == written
    for name in ("ARTICLE", "ARTICLE_LANG", "DRAFT", "DRAFT_LANG", "TAG", "CATEGORY", "AUTHOR"):
        assert PELICAN_MECHANICS[f"{name}_SAVE_AS"] == "", name
    assert not PELICAN_MECHANICS["DIRECT_TEMPLATES"]
    assert "generate_feeds" in inspect.getsource(ArticlesGenerator.generate_output)
    # point_content_at, content_html, resolve_content_links: Content's private parts
    assert list(inspect.signature(Content._update_content).parameters) == ["self", "content", "siteurl"]
    article = Article("<p>Body</p>", metadata={"title": "T", "date": SafeDatetime(2026, 1, 1)}, context={})
    assert pelican_seams.content_html(article) == "<p>Body</p>"
    pelican_seams.point_content_at(article, {"localsiteurl": ""})
    assert article._context == {"localsiteurl": ""}
    # forget_content_memos: get_content and get_summary are @memoized with a cache dict
    assert isinstance(vars(Content)["get_content"], memoized)
    assert isinstance(vars(Content)["get_content"].cache, dict)
    vars(Content)["get_content"].cache["probe"] = 1
    pelican_seams.forget_content_memos()
    assert vars(Content)["get_content"].cache == {}


def test_a_body_without_a_link_to_resolve_is_not_scanned_and_one_with_links_is_resolved(monkeypatch):
    """``resolved_content`` skips Pelican's link pass (0.4 ms a body, on every page that shows it)
    only where the pass could not change a byte: no ``{`` and no ``|`` in the body."""
    import copy

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import SafeDatetime

    settings = copy.deepcopy(DEFAULT_CONFIG)
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}

    def article(body: str) -> Article:
        return Article(body, {"title": "T", "date": SafeDatetime(2026, 5, 1)}, settings, "a.md", context)

    passes = []
    update = Article._update_content

    def counted(self, *args):
        passes.append(1)
        return update(self, *args)

    monkeypatch.setattr(Article, "_update_content", counted)
    plain = article("<p>Dockers voted <a href='https://example.org/'>to strike</a>.</p>")
    assert pelican_seams.resolved_content(plain, "..") == plain._content
    assert passes == []
    linked = article("<p>See <a href='{index}'>the front page</a>.</p>")
    resolved = pelican_seams.resolved_content(linked, "..")
    assert "{index}" not in resolved and resolved == linked.get_content("..")
    assert passes == [1]
    settings["INTRASITE_LINK_REGEX"] = "[<](?P<what>.*?)[>]"  # another syntax: always Pelican's pass
    pelican_seams.resolved_content(article("<p>plain</p>"), "..")
    assert passes == [1, 1]
