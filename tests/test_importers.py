"""Importers from WordPress, Hugo, Jekyll and Pelican, and a new paper in one command (issue 29).

The samples under tests/importers/ are real public material (each folder's README names its
source, commit and licence). Every import must build with the development settings; the
problems the build then reports are the archive's real state (missing translations, a title
left untranslated, an empty image), never an importer's fault (unknown headers, bad metadata,
stale or orphaned translations, an Author).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sitebuild import PROJECT, run_pelican

from press.content.headers import parse_source, revision_of
from press.importers import MAX_BODY_BYTES, ImportRefused, run_import
from press.importers.markup import convert_html
from press.importers.writer import format_date, key_from

SAMPLES = PROJECT / "tests" / "importers"
INVOKE = Path(sys.executable).parent / "invoke"
#: What a build of an imported archive may report: the archive's state, not the importer's faults.
ARCHIVE_STATE = {"missing", "untranslated", "untranslated-term", "untranslated-strings", "unsafe-file"}


def imported(kind: str, source: Path, target: Path, **options):
    report = run_import(kind, str(source), str(target), **options)
    files = {
        str(path.relative_to(target)): path.read_text(encoding="utf-8")
        for path in sorted(target.rglob("*.md"))
    }
    return report, files


def build(
    content: Path, languages: list[str], tmp_path: Path, search: bool = True, lacking: frozenset = frozenset()
):
    """The development build of an imported folder, with the languages the importer printed.

    ``lacking``: (key, lang) of translations the source itself left incomplete, which the gate names.
    """
    overrides = {"LANGUAGES": languages, "DEFAULT_LANG": languages[0]}
    if not search:
        overrides["PRESS_SEARCH"] = False
    result = run_pelican(content, tmp_path / "output", tmp_path / "report.json", overrides=overrides)
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    assert result.returncode == 0, log
    problems = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["problems"]
    faults = [
        p
        for p in problems
        if p["kind"] not in ARCHIVE_STATE
        and not (p["kind"] == "incomplete" and (p["key"], p["lang"]) in lacking)
    ]
    assert {(p["key"], p["lang"]) for p in problems if p["kind"] == "incomplete"} == set(lacking), problems
    assert not faults, faults
    return tmp_path / "output", problems


def assert_contract(files: dict[str, str]) -> None:
    """Every written version: known headers only, no Author, good keys and dates, stamps current."""
    known = {"title", "date", "category", "tags", "image", "status", "summary", "translation-of"}
    by_key: dict[str, dict[str, str]] = {}
    for path, text in files.items():
        kind, key, name = path.split("/")
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", key), path
        parsed = parse_source(text)
        assert set(parsed.headers) <= known, (path, set(parsed.headers))
        date = parsed.value("date")
        if date:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", date), (path, date)
        by_key.setdefault(f"{kind}/{key}", {})[name[:-3]] = text
    for key, versions in by_key.items():
        originals = [
            lang for lang, text in versions.items() if not parse_source(text).value("translation-of")
        ]
        assert len(originals) == 1, (key, originals)
        stamp = f"{originals[0]}@{revision_of(parse_source(versions[originals[0]]).body)}"
        for lang, text in versions.items():
            if lang != originals[0]:
                assert parse_source(text).value("translation-of") == stamp, (key, lang)


def counts(report) -> dict[str, dict[str, int]]:
    return report.per_language()


# -- the real samples -----------------------------------------------------------------------


def test_wordpress_polylang_export_imports_tied_and_builds(tmp_path):
    target = tmp_path / "content"
    report, files = imported("wordpress", SAMPLES / "wordpress-polylang" / "test-import.xml", target)
    assert counts(report) == {"en": {"articles": 2, "pages": 1}, "fr": {"articles": 2, "pages": 1}}
    assert report.languages == ["en", "fr"]
    assert_contract(files)
    assert parse_source(files["articles/test/fr.md"]).value("title") == "Essai"
    assert parse_source(files["articles/test/fr.md"]).value("translation-of").startswith("en@")
    assert parse_source(files["pages/home/fr.md"]).value("title") == "Accueil"
    terms = (target / "terms.toml").read_text(encoding="utf-8")
    # Polylang's term_translations tie the category "Test" to its French "Essai".
    assert '[sections.test]\nen = "Test"\nfr = "Essai"' in terms
    assert any("1 author dropped" in note for note in report.notes)
    # Every post of this export is empty: Pagefind would have no text to index (the archive's state).
    output, _ = build(target, report.languages, tmp_path, search=False)
    assert (output / "fr" / "test" / "index.html").exists()
    assert "Essai" in (output / "fr" / "test" / "index.html").read_text(encoding="utf-8")


def test_hugo_multilingual_site_imports_and_builds(tmp_path):
    target = tmp_path / "content"
    report, files = imported("hugo", SAMPLES / "hugo-multilingual" / "site", target)
    assert counts(report) == {"en": {"pages": 3}, "es": {"pages": 3}}
    assert_contract(files)
    assert parse_source(files["pages/about/es.md"]).value("title") == "Acerca de"
    # 2018-11-09T13:34:38+05:30 in UTC
    assert parse_source(files["pages/about/en.md"]).value("date") == "2018-11-09 08:04"
    output, _ = build(target, report.languages, tmp_path)
    assert (output / "es" / "about" / "index.html").exists() or list(output.glob("es/**/about*"))


def test_jekyll_polyglot_site_imports_and_builds(tmp_path):
    target = tmp_path / "content"
    report, files = imported("jekyll", SAMPLES / "jekyll-polyglot" / "site", target)
    assert counts(report) == {
        "en": {"articles": 2, "pages": 2},
        "de": {"articles": 2, "pages": 1},
        "fr": {"articles": 2, "pages": 1},
        "zh-CN": {"pages": 1},
    }
    assert report.languages == ["en", "de", "fr", "zh-CN"]
    assert_contract(files)
    assert parse_source(files["articles/presenting-polyglot/de.md"]).value("title") == "Ankündigung Polyglot"
    assert parse_source(files["articles/presenting-polyglot/en.md"]).value("date") == "2015-09-19"
    # {% highlight yaml %} became a fenced block; the Liquid left is listed with its file.
    assert "```yaml\ngem install jekyll-polyglot\n```" in files["articles/polyglot-1-2-0/en.md"]
    assert "{% highlight" not in "".join(files.values())
    listed = {source for source, message in report.problems if "template tags" in message}
    assert any(source.endswith("seo.zh-CN.md") for source in listed)
    # <a href="{{site.baseurl}}/seo/"> in the About page's HTML leads to the imported SEO page.
    assert 'href="{filename}../seo/en.md"' in files["pages/about/de.md"]
    assert not any(source.endswith("about.de.md") for source in listed)
    # the polyglot site's own Chinese SEO page leaves out "Add the following to your head:"
    build(target, report.languages, tmp_path, lacking=frozenset({("seo", "zh-CN")}))


def test_pelican_i18n_subsites_site_imports_and_builds(tmp_path):
    target = tmp_path / "content"
    report, files = imported("pelican", SAMPLES / "pelican-i18n-subsites" / "site", target)
    assert counts(report) == {
        "en": {"articles": 2, "pages": 2},
        "de": {"articles": 1, "pages": 1},
        "cz": {"articles": 1, "pages": 1},
    }
    assert report.languages == ["en", "de", "cz"]
    assert_contract(files)
    # reStructuredText became Markdown; {filename} links lead to the new places.
    assert (
        "[untranslated page]({filename}../../pages/untranslated-page/en.md)"
        in files["articles/an-untranslated-article/en.md"]
    )
    assert "[einigem Bild](img.png)" in files["articles/translated-article/de.md"]
    assert (target / "articles" / "translated-article" / "img.png").exists()
    assert any("1 author dropped" in note for note in report.notes)
    output, _ = build(target, report.languages, tmp_path)
    page = (output / "en" / "an-untranslated-article" / "index.html").read_text(encoding="utf-8")
    assert "untranslated page" in page


# -- WPML, drafts, attachments, shortcodes, links -----------------------------------------


def wxr(items: str, head: str = "") -> str:
    return textwrap.dedent(
        f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
          xmlns:content="http://purl.org/rss/1.0/modules/content/"
          xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <title>Paper</title><link>https://paper.example.org</link><language>en-US</language>
          <wp:base_site_url>https://paper.example.org</wp:base_site_url>
          <wp:author><wp:author_login>anna</wp:author_login></wp:author>
          <wp:author><wp:author_login>bruno</wp:author_login></wp:author>
          <wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>strikes</wp:category_nicename>
            <wp:cat_name>Strikes</wp:cat_name></wp:category>
          {head}
          {items}
        </channel></rss>
        """
    ).lstrip()


def postmeta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:postmeta>"
    )


def item(post_id, slug, title, body, lang, group, status="publish", source="", extra="", kind="post"):
    meta = (
        postmeta("_wpml_import_language_code", lang)
        + postmeta("_wpml_import_translation_group", group)
        + postmeta("_wpml_import_source_language_code", source)
    )
    return f"""
      <item><title>{title}</title><link>https://paper.example.org/{lang}/{slug}/</link>
        <dc:creator>anna</dc:creator><guid>https://paper.example.org/?p={post_id}</guid>
        <content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
        <wp:post_id>{post_id}</wp:post_id><wp:post_date>2024-03-01 10:30:00</wp:post_date>
        <wp:post_date_gmt>2024-03-01 09:30:00</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>
        <wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>
        {extra}{meta}
      </item>"""


def test_wordpress_wpml_groups_drafts_links_attachments_and_shortcodes(tmp_path):
    uploads = tmp_path / "uploads" / "2024" / "03"
    uploads.mkdir(parents=True)
    from sitebuild import png

    (uploads / "picket.png").write_bytes(png())
    picture = "https://paper.example.org/wp-content/uploads/2024/03/picket.png"
    strike = (
        f'The dockers stopped work at dawn.\n\n<img src="{picture}" alt="The picket">\n\n'
        'Read <a href="https://paper.example.org/en/funds/">how funds work</a>.\n\n[gallery ids="1,2"]'
    )
    sciopero = (
        f'I portuali hanno fermato il lavoro all\'alba.\n\n<img src="{picture}" alt="Il picchetto">\n\n'
        'Leggete <a href="https://paper.example.org/?p=3">come funzionano le casse</a>.\n\n'
        '[gallery ids="1,2"]'
    )
    category = '<category domain="category" nicename="strikes"><![CDATA[Strikes]]></category>'
    # The featured image: an attachment item, named by the post's _thumbnail_id.
    featured = postmeta("_thumbnail_id", "10")
    attachment = (
        "<item><title>picket</title><wp:post_id>10</wp:post_id><wp:post_type>attachment</wp:post_type>"
        + postmeta("_wp_attached_file", "2024/03/picket.png")
        + "</item>"
    )
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            item(1, "dock-strike", "The dock strike", strike, "en", "g1", extra=category + featured)
            + item(2, "sciopero-porto", "Lo sciopero del porto", sciopero, "it", "g1", source="en")
            + item(3, "funds", "Strike funds", "A fund is built before the strike.", "en", "g2")
            + item(4, "notes", "Unfinished notes", "Notes for later.", "en", "g3", status="draft")
            + attachment
        ),
        encoding="utf-8",
    )
    target = tmp_path / "content"
    report, files = imported("wordpress", export, target, uploads=str(tmp_path / "uploads"))
    assert counts(report) == {"en": {"articles": 3}, "it": {"articles": 1}}
    assert_contract(files)
    original = parse_source(files["articles/dock-strike/en.md"])
    assert original.value("date") == "2024-03-01 09:30"
    assert original.value("category") == "strikes"
    assert original.value("image") == "picket.png"
    assert "![The picket](picket.png)" in original.body
    assert "[how funds work]({filename}../funds/en.md)" in original.body
    italian = files["articles/dock-strike/it.md"]
    assert parse_source(italian).value("translation-of") == f"en@{revision_of(original.body)}"
    # A link to ?p=3 from the Italian version leads to the key, in its English version (the only one).
    assert "({filename}../funds/en.md)" in italian
    assert parse_source(files["articles/notes/en.md"]).value("status") == "draft"
    assert (target / "articles" / "dock-strike" / "picket.png").read_bytes() == png()
    assert "Author" not in "".join(files.values())
    assert any("2 authors dropped" in note for note in report.notes)
    shortcodes = [message for source, message in report.problems if "shortcodes" in message]
    assert len(shortcodes) == 2 and "gallery" in shortcodes[0]
    output, _ = build(target, ["en", "it"], tmp_path)
    page = (output / "it" / "dock-strike" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../articles/dock-strike/picket.png" alt="Il picchetto"' in page
    assert (output / "articles" / "dock-strike" / "picket.png").exists()


def test_wordpress_attachments_without_uploads_are_listed_not_loaded(tmp_path):
    body = (
        'Text.\n\n<img src="https://paper.example.org/wp-content/uploads/2024/03/picket.png" alt="Picket">'
        '\n\n<img src="https://tracker.example.com/pixel.gif" alt="">'
    )
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(1, "a", "A", body, "en", "g1")), encoding="utf-8")
    report, files = imported("wordpress", export, tmp_path / "content")
    assert any("2024/03/picket.png not copied (give --uploads FOLDER)" in m for _, m in report.problems)
    text = files["articles/a/en.md"]
    assert "[Picket](https://paper.example.org/wp-content/uploads/2024/03/picket.png)" in text
    assert "[pixel.gif](https://tracker.example.com/pixel.gif)" in text
    assert any("pixel.gif is on another host" in m for _, m in report.problems)


def test_hugo_translation_keys_suffixes_refs_drafts_and_bundles(tmp_path):
    from sitebuild import png, write_tree

    site = tmp_path / "hugo"
    write_tree(
        site,
        {
            "hugo.toml": 'defaultContentLanguage = "en"\n[languages.en]\n[languages.it]\n',
            "content/posts/strike/index.md": """\
                ---
                title: The strike
                date: 2024-05-01
                categories: [Strikes]
                tags: [docks, ports]
                translationKey: strike-2024
                author: Someone
                ---

                ![Picket](picket.png) and ![a tracker](https://tracker.example.com/t.gif).
                See [the fund]({{< ref "posts/fund" >}}). {{< youtube abc >}}
                """,
            "content/posts/strike/picket.png": png(),
            "content/posts/sciopero.it.md": """\
                +++
                title = "Lo sciopero"
                translationKey = "strike-2024"
                categories = ["Scioperi"]
                tags = ["moli", "porti"]
                +++

                ![Picchetto](strike/picket.png) e ![un tracciante](https://tracker.example.com/t.gif).
                Vedete [la cassa]({{< ref "posts/fund" >}}). {{< youtube abc >}}
                """,
            "content/posts/fund.md": "---\ntitle: The fund\ndraft: true\n---\n\nMoney first.\n",
            "content/posts/fund.it.md": "---\ntitle: La cassa\n---\n\nPrima i soldi.\n",
        },
    )
    target = tmp_path / "content"
    report, files = imported("hugo", site, target)
    assert counts(report) == {"en": {"articles": 2}, "it": {"articles": 2}}
    assert_contract(files)
    strike = parse_source(files["articles/strike/en.md"])
    assert (strike.value("category"), strike.value("tags")) == ("strikes", "docks, ports")
    assert "[the fund]({filename}../fund/en.md)" in strike.body
    assert "[a tracker](https://tracker.example.com/t.gif)" in strike.body
    assert "[la cassa]({filename}../fund/it.md)" in files["articles/strike/it.md"]
    assert "![Picchetto](picket.png)" in files["articles/strike/it.md"]
    assert (target / "articles" / "strike" / "picket.png").read_bytes() == png()
    assert parse_source(files["articles/fund/en.md"]).value("status") == "draft"
    # No date in the source: the file's time, and the report says so.
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", parse_source(files["articles/fund/en.md"]).value("date")
    )
    assert any(source.endswith("fund.md") and "no date" in m for source, m in report.problems)
    assert any("youtube" in m for _, m in report.problems)
    assert any("1 author dropped" in note for note in report.notes)
    # The translation's categories and tags, in the same order, name the same terms in Italian.
    terms = (target / "terms.toml").read_text(encoding="utf-8")
    assert '[sections.strikes]\nen = "Strikes"\nit = "Scioperi"' in terms
    assert '[tags.docks]\nen = "docks"\nit = "moli"' in terms
    _, problems = build(target, ["en", "it"], tmp_path)
    assert not [p for p in problems if p["kind"] == "untranslated-term"]


# -- hostile sources: one line, nothing written ----------------------------------------------


def refused(kind: str, source: Path, target: Path, **options) -> str:
    with pytest.raises(ImportRefused) as caught:
        run_import(kind, str(source), str(target), **options)
    assert not target.exists() or not any(target.iterdir())
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_entity_expansion_is_refused_and_nothing_written(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        "<rss><channel><item><title>&b;</title></item></channel></rss>\n",
        encoding="utf-8",
    )
    assert "entity" in refused("wordpress", bomb, tmp_path / "content").lower()


def test_paths_leaving_the_target_are_refused(tmp_path):
    attachment = """
      <item><title>x</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>
        @META@
      </item>""".replace("@META@", postmeta("_wp_attached_file", "../../../etc/passwd"))
    export = tmp_path / "export.xml"
    export.write_text(wxr(item(1, "a", "A", "Body.", "en", "g1") + attachment), encoding="utf-8")
    assert "would leave" in refused("wordpress", export, tmp_path / "content", uploads=str(tmp_path))
    export.write_text(wxr(item(1, "../../../escape", "A", "Body.", "en", "g1")), encoding="utf-8")
    assert "would leave" in refused("wordpress", export, tmp_path / "content")
    hugo = tmp_path / "hugo"
    (hugo / "content").mkdir(parents=True)
    (hugo / "hugo.toml").write_text('[languages.en]\ncontentDir = "../../etc"\n', encoding="utf-8")
    assert "would leave" in refused("hugo", hugo, tmp_path / "content2")
    jekyll = tmp_path / "jekyll" / "site"
    (jekyll / "_posts").mkdir(parents=True)
    (tmp_path / "jekyll" / "secret.png").write_bytes(b"secret")
    (jekyll / "_posts" / "2024-01-02-leak.md").write_text(
        "---\ntitle: Leak\n---\n\n![x](../../secret.png)\n", encoding="utf-8"
    )
    assert "outside" in refused("jekyll", jekyll, tmp_path / "content3")


def test_yaml_aliases_that_could_expand_into_gigabytes_are_refused(tmp_path):
    site = tmp_path / "jekyll"
    (site / "_posts").mkdir(parents=True)
    laughs = "\n".join(
        ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    )
    (site / "_posts" / "2024-01-01-laughs.md").write_text(
        f"---\n{laughs}\ntitle: *i\n---\n\nText.\n", encoding="utf-8"
    )
    assert "aliases" in refused("jekyll", site, tmp_path / "content")


def test_a_password_protected_post_is_a_draft(tmp_path):
    export = tmp_path / "export.xml"
    protected = item(
        1,
        "secret",
        "Members only",
        "For members.",
        "en",
        "g1",
        extra="<wp:post_password>pw</wp:post_password>",
    )
    export.write_text(wxr(protected), encoding="utf-8")
    report, files = imported("wordpress", export, tmp_path / "content")
    assert parse_source(files["articles/secret/en.md"]).value("status") == "draft"
    assert any("password-protected" in m for _, m in report.problems)


def test_a_200_mb_body_is_refused_without_reading_it_whole(tmp_path):
    export = tmp_path / "huge.xml"
    head, tail = wxr(item(1, "a", "A", "@BODY@", "en", "g1")).split("@BODY@")
    with open(export, "w", encoding="utf-8") as handle:
        handle.write(head)
        chunk = "x" * (1024 * 1024)
        for _ in range(200):
            handle.write(chunk)
        handle.write(tail)
    message = refused("wordpress", export, tmp_path / "content")
    assert f"over {MAX_BODY_BYTES // (1024 * 1024)} MB" in message
    hugo = tmp_path / "hugo"
    (hugo / "content" / "posts").mkdir(parents=True)
    with open(hugo / "content" / "posts" / "huge.md", "w", encoding="utf-8") as handle:
        handle.write("---\ntitle: Huge\n---\n")
        handle.truncate(200 * 1024 * 1024)
    assert "over" in refused("hugo", hugo, tmp_path / "content2")
    # pytest keeps the last runs' folders: do not leave 400 MB behind.
    export.unlink()
    (hugo / "content" / "posts" / "huge.md").unlink()


def test_a_target_that_is_not_empty_is_refused(tmp_path):
    target = tmp_path / "content"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefused, match="not empty"):
        run_import("hugo", str(SAMPLES / "hugo-multilingual" / "site"), str(target))
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_the_task_ends_a_refusal_with_one_line(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<!DOCTYPE r [<!ENTITY a "x">]><rss><channel/></rss>', encoding="utf-8")
    result = subprocess.run(
        [str(INVOKE), "-r", str(PROJECT), "import-wordpress", str(bomb), str(tmp_path / "content")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "entit" in result.stderr
    assert not (tmp_path / "content").exists()


def test_the_task_prints_counts_and_the_languages_line(tmp_path):
    result = subprocess.run(
        [
            str(INVOKE),
            "-r",
            str(PROJECT),
            "import-pelican",
            str(SAMPLES / "pelican-i18n-subsites" / "site"),
            "out",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "  de: 1 articles, 1 pages" in result.stdout
    assert 'LANGUAGES = ["en", "de", "cz"]' in result.stdout
    assert (tmp_path / "out" / "terms.toml").exists()  # relative to where the user stands


# -- a new paper ----------------------------------------------------------------------------


def test_init_writes_a_paper_that_builds_strictly_with_its_readme_commands(tmp_path):
    folder = tmp_path / "paper"
    result = subprocess.run(
        [
            str(INVOKE),
            "-r",
            str(PROJECT),
            "init",
            str(folder),
            "--languages",
            "en,fa",
            "--name",
            "The Workers' Paper",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "content" / "glossary.toml").exists()
    assert sorted(p.name for p in (folder / "content" / "articles" / "welcome").iterdir()) == [
        "en.md",
        "fa.md",
    ]
    settings = (folder / "pelicanconf.py").read_text(encoding="utf-8")
    assert 'PLUGINS = ["press"]' in settings and 'LANGUAGES = ["en", "fa"]' in settings
    commands = [
        line.strip()
        for line in (folder / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("    ") and "-m pelican" in line
    ]
    assert len(commands) == 2 and "publishconf.py" in commands[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PRESS_SITEURL", "SOURCE_DATE_EPOCH")}
    for command in commands:
        done = subprocess.run(
            command, shell=True, cwd=folder, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads((folder / "press-report.json").read_text(encoding="utf-8")) == {"problems": []}
    assert (folder / "output" / "fa" / "welcome" / "index.html").exists()
    assert shlex.split(commands[1])[0].startswith("PRESS_SITEURL=https://")


def test_init_refuses_a_folder_that_is_not_empty_and_bad_languages(tmp_path):
    (tmp_path / "paper").mkdir()
    (tmp_path / "paper" / "x").write_text("x", encoding="utf-8")
    for args in (
        ["init", str(tmp_path / "paper")],
        ["init", str(tmp_path / "p2"), "--languages", "en,,EN!"],
        ["init", str(PROJECT / "new-paper")],  # inside the press project
    ):
        result = subprocess.run(
            [str(INVOKE), "-r", str(PROJECT), *args], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("error: ")
    assert not (tmp_path / "p2").exists() and not (PROJECT / "new-paper").exists()


# -- pieces --------------------------------------------------------------------------------


def test_bodies_become_markdown_only_when_nothing_is_lost():
    assert convert_html("One <b>bold</b> word.\n\nA <a href='/x'>link</a>.") == (
        "One **bold** word.\n\nA [link](/x).\n",
        "markdown",
    )
    # An inline style, a "1." that Markdown would read as a list: kept as sanitised HTML.
    body, kind = convert_html('<p style="color:red">Red</p><script>alert(1)</script>')
    assert kind == "html" and "<script" not in body and "Red" in body
    assert convert_html("<p>1. not a list</p>")[1] == "html"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-11-09T13:34:38+05:30", "2018-11-09 08:04"),
        ("2015-9-19", "2015-09-19"),
        ("2024-03-01 00:00:00", "2024-03-01"),
        ("0000-00-00 00:00:00", ""),
        ("05/11/2026", ""),
    ],
)
def test_dates_are_written_as_the_contract_reads_them(value, expected):
    assert format_date(value) == expected


def test_keys_are_made_of_any_script():
    persian = key_from("%d8%a7%d8%b9%d8%aa%d8%b5%d8%a7%d8%a8")  # WordPress's percent-encoded slug of اعتصاب
    assert persian and re.fullmatch(r"[a-z0-9][a-z0-9-]*", persian)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", key_from("Presenting Polyglot!")) is not None
    assert key_from("../../etc") == "etc"


def test_keys_never_clash_with_each_other_or_the_sites_own_pages(tmp_path):
    from press.importers.writer import ContentPlan, Entry

    plan = ContentPlan(str(tmp_path / "content"), "source")
    plan.add(Entry("articles", "about"))
    # Articles and pages share <lang>/<key>/; archive, search… are the site's own pages.
    assert plan.unique_key("pages", "About", "x") == "about-2"
    assert plan.unique_key("articles", "search", "x") == "search-2"
    assert plan.unique_key("issues", "about", "x") == "about"
    assert plan.term("tags", "strike", "en", "Strike") == plan.term("tags", "strikes-2", "en", "Strike!")


def test_pelican_markdown_site_with_translation_flags(tmp_path):
    from sitebuild import write_tree

    site = tmp_path / "pelican"
    write_tree(
        site,
        {
            "pelicanconf.py": 'AUTHOR = "Someone"\nPATH = "content"\nDEFAULT_LANG = "it"\n',
            "content/sciopero.md": """\
                Title: Lo sciopero
                Date: 2024-02-03 10:00
                Category: Lotte
                Tags: porti, scioperi
                Author: Qualcuno
                Slug: strike

                Vedi [la cassa]({filename}/cassa.md).
                """,
            "content/strike-en.md": """\
                Title: The strike
                Lang: en
                Slug: strike
                Translation: true

                See [the fund]({filename}cassa.md).
                """,
            "content/cassa.md": "Title: La cassa\nDate: 2024-01-01\nStatus: draft\n\nPrima i soldi.\n",
        },
    )
    target = tmp_path / "content"
    report, files = imported("pelican", site, target)
    assert counts(report) == {"it": {"articles": 2}, "en": {"articles": 1}}
    assert_contract(files)
    original = parse_source(files["articles/strike/it.md"])
    assert (original.value("category"), original.value("tags")) == ("lotte", "porti, scioperi")
    assert "[la cassa]({filename}../la-cassa/it.md)" in original.body
    # The English version links to the Italian one: the fund has no English version.
    assert "[the fund]({filename}../la-cassa/it.md)" in files["articles/strike/en.md"]
    assert parse_source(files["articles/la-cassa/it.md"]).value("status") == "draft"
    assert any("2 authors dropped" in note for note in report.notes)
