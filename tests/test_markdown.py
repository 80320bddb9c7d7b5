"""Bodies in GitHub Flavored Markdown by default, Python-Markdown on request (PRESS_MARKDOWN)."""

from __future__ import annotations

import resource

from sitebuild import article, png, translation

from press.html.render import markdown_options, render_gfm, render_markdown

BODY = """
The strike committee met on Monday:
- the dockers
- the nurses

A second paragraph with a note[^1] and a link to [the fund]({filename}../fund/en.md).

![The picket](früh.png){: .wide}

| port | days |
|------|------|
| Genoa | 42 |

[^1]: The committee's minutes.
"""
ORIGINAL = article("The Committee", BODY, date="2026-03-01", category="Strikes")
FUND = article("The Fund", "A fund for every strike.\n", date="2026-02-01", category="Strikes")


def tree() -> dict[str, str | bytes]:
    return {
        "articles/committee/en.md": ORIGINAL,
        "articles/committee/früh.png": png(),
        "articles/fund/en.md": FUND,
        "articles/fund/it.md": translation(FUND, "en", "Il fondo", "Un fondo per ogni sciopero.\n"),
        "articles/committee/it.md": translation(
            ORIGINAL,
            "en",
            "Il comitato",
            BODY.replace("The strike committee met on Monday", "Il comitato di sciopero si è riunito lunedì")
            .replace("the dockers", "i portuali")
            .replace("the nurses", "le infermiere")
            .replace("A second paragraph with a note", "Un secondo paragrafo con una nota")
            .replace("and a link to", "e un collegamento al")
            .replace("the fund", "fondo")
            .replace("The committee's minutes.", "Il verbale del comitato.")
            .replace("The picket", "Il picchetto"),
        ),
    }


def test_gfm_is_the_default_and_renders_what_github_shows(build_site):
    built = build_site(tree(), strict=True, languages=["en", "it"])
    assert built.returncode == 0, built.log
    page = built.page("en/committee/index.html")
    # a list right after a paragraph is a list (Python-Markdown made it a paragraph)
    assert "<li>the dockers</li>" in page and "<li>the nurses</li>" in page
    assert '<section class="footnotes">' in page and 'class="footnote-backref"' in page
    assert "Back to reference" not in built.page("it/committee/index.html")  # no English label
    # the note's way back (a "↩") is named in the page's language
    assert '<a href="#fnref-1" class="footnote-backref" aria-label="Back to the text">' in page
    assert 'aria-label="Torna al testo">' in built.page("it/committee/index.html")
    assert "<table>" in page and "<td>Genoa</td>" in page
    # {filename} survives cmark's percent-encoding and leads to the same language's version
    assert 'href="../../en/fund/"' in page
    assert "%7Bfilename%7D" not in page and "{filename}" not in page
    assert 'href="../../it/fund/"' in built.page("it/committee/index.html")
    # an attachment with a non-ASCII name is found and copied
    assert built.exists("articles/committee/früh.png")
    assert 'src="../../articles/committee/früh.png"' in page and "%C3%BC" not in page


def test_python_markdown_on_request_uses_pelicans_markdown_setting(build_site):
    built = build_site(tree(), languages=["en", "it"], PRESS_MARKDOWN="python-markdown")
    assert built.returncode == 0, built.log
    page = built.page("en/committee/index.html")
    assert "<li>the dockers</li>" not in page  # Python-Markdown needs a blank line before a list
    assert 'class="wide"' in page  # attr_list, from Pelican's MARKDOWN (extra)
    assert '<div class="footnote">' in page
    # Python-Markdown's English title gives way to the page's own name for the way back
    italian = built.page("it/committee/index.html")
    assert "Jump back to footnote" not in italian and 'aria-label="Torna al testo">' in italian


def test_an_unknown_engine_is_reported_with_the_choices(build_site):
    built = build_site(tree(), languages=["en", "it"], PRESS_MARKDOWN="commonmark")
    assert built.returncode != 0
    assert "PRESS_MARKDOWN" in built.log and "python-markdown" in built.log


def test_raw_html_reaches_the_sanitizer_rather_than_a_filter():
    html = render_gfm("Text\n\n<script>alert(1)</script>\n\n<iframe src='https://x.example'></iframe>\n")
    assert "<script>" in html and "<iframe" in html  # GFM's tag filter would hide them as text


def test_both_engines_give_the_same_counts_to_the_parity_check():
    from press.translation.fidelity import read_html
    from press.workflow import DEFAULT_MARKDOWN

    body = "## Title\n\n- one\n- two\n\n> quote\n\nText[^n] [a](https://example.org).\n\n[^n]: note\n"
    gfm = read_html(render_markdown(markdown_options({}), body))
    python_markdown = markdown_options({"PRESS_MARKDOWN": "python-markdown", "MARKDOWN": DEFAULT_MARKDOWN})
    python = read_html(render_markdown(python_markdown, body))
    for field in ("headings", "list_items", "quotes", "footnotes", "links"):
        assert getattr(gfm, field) == getattr(python, field), field
    assert gfm.footnotes == 1 and gfm.list_items == 2


def test_rendering_frees_cmarks_memory():
    body = BODY * 20  # about 8 KB
    for _ in range(200):
        render_gfm(body)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2000):
        render_gfm(body)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    # cmarkgfm's own wrapper loses about 60 KiB per body of this size: 120 MiB here
    assert grown_kib < 20 * 1024, f"{grown_kib} KiB"


def test_cmarks_memory_is_freed_by_its_own_allocator_never_by_a_libc_found_by_dlopen_none(monkeypatch):
    import cffi

    from press.html import render

    opened = []
    real_dlopen = cffi.FFI.dlopen

    def recording_dlopen(self, name, *args):
        opened.append(name)
        return real_dlopen(self, name, *args)

    monkeypatch.setattr(cffi.FFI, "dlopen", recording_dlopen)
    memory = render._CmarkMemory()
    assert None not in opened  # cffi refuses dlopen(None) on Windows
    allocator = memory.cmark.cmark_get_default_mem_allocator()
    assert memory.free == allocator.free
    assert memory.render("*a*") == "<p><em>a</em></p>\n"


def test_without_cmark_python_markdown_renders_and_says_so_once(monkeypatch, caplog):
    from press.html import render

    def unloadable(self):
        raise OSError("no such library")

    monkeypatch.setattr(render._CmarkMemory, "__init__", unloadable)
    render._cmark_memory.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="press.html.render"):
            options = markdown_options({"MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}}}})
            assert options["engine"] == "python-markdown"
            assert "<em>a</em>" in render_markdown(options, "*a*")
            assert render_gfm("*b*") == "<p><em>b</em></p>"
            markdown_options({})
        warnings = [r for r in caplog.records if r.name == "press.html.render"]
        assert len(warnings) == 1, warnings
        assert "Python-Markdown" in warnings[0].getMessage() and "cmark" in warnings[0].getMessage()
    finally:
        render._cmark_memory.cache_clear()


def test_a_notes_reference_is_numbered_in_the_pages_digits(build_site):
    original = article("The Note", "The port stopped[^1].\n\n[^1]: For nine days.\n", date="2026-03-01")
    persian = translation(original, "en", "یادداشت", "بندر متوقف شد[^1].\n\n[^1]: به مدت نه روز.\n")
    files = {"articles/note/en.md": original, "articles/note/fa.md": persian}
    built = build_site(files, languages=["en", "fa"])
    assert built.returncode == 0, built.log
    page = built.page("fa/note/index.html")
    assert 'id="fnref-1">۱</a></sup>' in page  # the notes' list counts in Persian digits too (CSS)
    assert 'aria-label="بازگشت به متن">' in page
    assert 'id="fnref-1">1</a></sup>' in built.page("en/note/index.html")
