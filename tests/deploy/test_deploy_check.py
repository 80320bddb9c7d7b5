"""deploy.check: every failure at once, with the exact file and link."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from deploy_fakesite import LANGUAGES, SITEURL, make_site

from deploy.check import Failure, check_site, main

FAST = {"validate_html": False}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh, clean fake site in tmp_path/output."""
    return make_site(tmp_path / "output")


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def find(failures: list[Failure], file: str, target: str) -> Failure:
    matches = [f for f in failures if f.file == file and f.target == target]
    assert matches, f"no failure for {file} {target!r} in:\n" + "\n".join(map(str, failures))
    return matches[0]


def test_clean_site_passes_every_check_including_the_nu_validator(site: Path) -> None:
    failures = check_site(site, siteurl=SITEURL, languages=LANGUAGES, check_fragments=True)
    assert failures == [], "\n".join(map(str, failures))


def test_clean_site_passes_without_siteurl_except_absolute_hreflang(site: Path) -> None:
    failures = check_site(site, **FAST)
    # Without the site's URL the absolute canonical/hreflang links cannot be resolved: said, not ignored.
    assert failures
    assert all("--siteurl" in f.message for f in failures), "\n".join(map(str, failures))
    assert "en/strike-funds/index.html" in {f.file for f in failures}
    assert "en/feed.xml" in {f.file for f in failures}


def test_every_planted_problem_is_reported_at_once(site: Path) -> None:
    article = "en/strike-funds/index.html"
    edit(site, article, "</main>", '<p><a href="../no-such-article/">gone</a></p>\n</main>')
    edit(site, "en/index.html", "</head>", '<script src="https://evil.example/x.js"></script>\n</head>')
    edit(
        site,
        "it/strike-funds/index.html",
        "</main>",
        '<p><a href="{filename}/articles/strike-funds/it.md">x</a></p>\n</main>',
    )
    edit(site, "sv/feed.xml", "<updated>2026-01-10T12:00:00Z</updated>\n    <content", "<content")
    (site / "fa" / "feed.xml").write_text("<feed><entry></feed>", encoding="utf-8")

    failures = check_site(site, siteurl=SITEURL, languages=LANGUAGES, **FAST)

    broken = find(failures, article, "../no-such-article/")
    assert "broken a href" in broken.message
    assert "en/no-such-article/index.html" in broken.message
    assert broken.line is not None

    evil = find(failures, "en/index.html", "https://evil.example/x.js")
    assert "another host" in evil.message and "script src" in evil.message

    placeholder = find(failures, "it/strike-funds/index.html", "{filename}/articles/strike-funds/it.md")
    assert "placeholder" in placeholder.message

    missing = find(failures, "sv/feed.xml", "tag:press.example,2026-01-10:/sv/strike-funds/")
    assert "no <updated>" in missing.message

    malformed = [f for f in failures if f.file == "fa/feed.xml"]
    assert malformed and "not well-formed XML" in malformed[0].message

    assert len(failures) == 5, "\n".join(map(str, failures))
    assert str(broken).startswith(f"{article}:{broken.line}: ../no-such-article/: ")


def test_foreign_resources_in_every_form_are_reported(site: Path) -> None:
    page = "en/about/index.html"
    edit(
        site,
        page,
        "</head>",
        '<link rel="stylesheet" href="//cdn.example/x.css">\n'
        '<link rel="preconnect" href="https://fonts.example">\n'
        '<style>body { background: url("https://img.example/bg.png"); }</style>\n'
        "</head>",
    )
    edit(
        site,
        page,
        "</main>",
        '<img src="https://img.example/a.png" alt="">'
        '<img src="../../articles/strike-funds/photo.png" srcset="https://img.example/b.png 2x" alt="">'
        '<iframe src="https://video.example/embed" title="v"></iframe>'
        '<video src="https://video.example/v.mp4" poster="https://img.example/p.png"></video>'
        '<p style="background: url(//img.example/s.png)">styled</p>'
        '<p><a href="https://example.org/">a plain link to another site is fine</a></p>\n</main>',
    )
    edit(site, "assets/press.0a1b2c3d.css", "body {", '@import "https://fonts.example/f.css";\nbody {')
    failures = check_site(site, siteurl=SITEURL, **FAST)
    foreign = {(f.file, f.target) for f in failures if "another host" in f.message}
    assert foreign == {
        (page, "//cdn.example/x.css"),
        (page, "https://fonts.example"),
        (page, "https://img.example/bg.png"),
        (page, "https://img.example/a.png"),
        (page, "https://img.example/b.png"),
        (page, "https://video.example/embed"),
        (page, "https://video.example/v.mp4"),
        (page, "https://img.example/p.png"),
        (page, "//img.example/s.png"),
        ("assets/press.0a1b2c3d.css", "https://fonts.example/f.css"),
    }
    # The frame is refused for what it is, too (no frames at all).
    frames = {(f.file, f.target) for f in failures if "embeds another document" in f.message}
    assert frames == {(page, "<iframe>")}
    assert len(failures) == len(foreign) + len(frames), "\n".join(map(str, failures))


def test_links_must_be_relative_and_stay_inside_the_output(site: Path) -> None:
    page = "sv/about/index.html"
    edit(
        site,
        page,
        "</main>",
        '<p><a href="/sv/archive/">root-relative</a> <a href="https://press.example/sv/archive/">absolute</a>'
        ' <a href="../../../etc/passwd">outside</a></p>\n</main>',
    )
    failures = check_site(site, siteurl=SITEURL, **FAST)
    messages = {f.target: f.message for f in failures if f.file == page}
    assert "root-relative" in messages["/sv/archive/"]
    assert "absolute" in messages["https://press.example/sv/archive/"]
    assert "outside the output" in messages["../../../etc/passwd"]
    assert len(failures) == 3


def test_not_found_pages_may_link_absolutely_but_links_must_resolve(site: Path) -> None:
    # A 404 page is shown at any depth, so the theme may give it site-absolute links.
    edit(site, "it/404.html", "../assets/press.0a1b2c3d.css", f"{SITEURL}/assets/press.0a1b2c3d.css")
    edit(
        site,
        "it/404.html",
        "</main>",
        f'<p><a href="/it/archive/">a</a><a href="{SITEURL}/it/gone/">b</a></p></main>',
    )
    failures = check_site(site, siteurl=SITEURL, **FAST)
    assert [(f.file, f.target) for f in failures] == [("it/404.html", f"{SITEURL}/it/gone/")]
    assert "it/gone/index.html" in failures[0].message


def test_hreflang_feed_and_sitemap_targets_must_exist(site: Path) -> None:
    edit(
        site,
        "en/strike-funds/index.html",
        "</head>",
        f'<link rel="alternate" hreflang="de" href="{SITEURL}/de/strike-funds/">\n'
        '<link rel="alternate" hreflang="es" href="https://other.example/es/">\n</head>',
    )
    edit(site, "it/feed.xml", f"{SITEURL}/it/about/", f"{SITEURL}/it/chi-siamo/")
    edit(site, "sitemap.xml", f"{SITEURL}/sv/strike-funds/", f"{SITEURL}/sv/strejkkassor/")
    failures = check_site(site, siteurl=SITEURL, **FAST)
    hreflang = find(failures, "en/strike-funds/index.html", f"{SITEURL}/de/strike-funds/")
    assert "hreflang=de" in hreflang.message and "de/strike-funds/index.html" in hreflang.message
    other = find(failures, "en/strike-funds/index.html", "https://other.example/es/")
    assert "another site" in other.message
    feed = find(failures, "it/feed.xml", f"{SITEURL}/it/chi-siamo/")
    assert "entry #2 link" in feed.message
    find(failures, "sitemap.xml", f"{SITEURL}/sv/strejkkassor/")
    assert len(failures) == 4, "\n".join(map(str, failures))


def test_feed_structure_is_atom(site: Path) -> None:
    edit(site, "en/feed.xml", "<title>Strike funds</title>", "")
    edit(site, "en/feed.xml", '<link href="https://press.example/en/about/" rel="alternate"/>', "")
    (site / "rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel/></rss>', encoding="utf-8"
    )
    edit(
        site,
        "it/feed.xml",
        "&lt;p&gt;About",
        "&lt;p&gt;&lt;a href=&quot;{filename}/pages/about.md&quot;&gt;About&lt;/a&gt;",
    )
    failures = check_site(site, siteurl=SITEURL, **FAST)
    text = "\n".join(map(str, failures))
    assert "en/feed.xml: tag:press.example,2026-01-10:/en/strike-funds/: feed entry #1 has no <title>" in text
    assert "en/feed.xml: tag:press.example,2026-01-10:/en/about/: feed entry #2 has no <link href>" in text
    assert "rss.xml: rss: not an Atom feed" in text
    assert "it/feed.xml: {filename}/pages/about.md: leftover Pelican placeholder in entry #2 content" in text
    assert len(failures) == 4, text


def test_fragments_are_checked_on_request(site: Path) -> None:
    edit(site, "en/issues/2026-01/index.html", 'id="contents"', 'id="toc"')
    assert check_site(site, siteurl=SITEURL, **FAST) == []
    failures = check_site(site, siteurl=SITEURL, check_fragments=True, **FAST)
    assert [(f.file, f.target) for f in failures] == [
        ("en/strike-funds/index.html", "../../en/issues/2026-01/#contents")
    ]
    assert "no element with id 'contents'" in failures[0].message


def test_required_files_per_language(site: Path) -> None:
    (site / "it" / "404.html").unlink()
    (site / "index.html").unlink()
    failures = check_site(site, siteurl=SITEURL, languages=LANGUAGES, **FAST)
    assert ("it/404.html", "required file is missing from the output") in {
        (f.file, f.message) for f in failures
    }
    assert "index.html" in {f.file for f in failures}


def test_percent_encoded_and_non_ascii_paths_resolve(site: Path) -> None:
    # fa/index.html links the Persian-named article folder percent-encoded; break it.
    (site / "fa" / "صندوق-اعتصاب" / "index.html").unlink()
    failures = check_site(site, siteurl=SITEURL, **FAST)
    assert [f.file for f in failures] == ["fa/index.html"]
    assert "fa/صندوق-اعتصاب/index.html" in failures[0].message


def test_invalid_html_is_reported_by_the_nu_validator(site: Path) -> None:
    edit(site, "fa/صندوق-اعتصاب/index.html", "</main>", "<p><div></p>\n</main>")
    failures = check_site(site, siteurl=SITEURL)
    assert failures, "the Nu validator found nothing"
    assert {f.file for f in failures} == {"fa/صندوق-اعتصاب/index.html"}
    assert all(f.message.startswith("invalid HTML: ") and f.line for f in failures)


def test_missing_validator_is_a_failure_not_a_skip(site: Path, tmp_path: Path) -> None:
    no_jar = check_site(site, siteurl=SITEURL, vnu_jar=tmp_path / "nowhere" / "vnu.jar")
    assert len(no_jar) == 1
    assert "vnu.jar" in no_jar[0].message and "npm ci --prefix deploy" in no_jar[0].message
    no_java = check_site(site, siteurl=SITEURL, java=str(tmp_path / "no-java"))
    assert len(no_java) == 1 and "java is not installed" in no_java[0].message


def test_cli_prints_every_failure_and_exits_1(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "en/index.html", "</main>", '<p><a href="nope/">x</a><a href="nope2.html">y</a></p></main>')
    status = main([str(site), "--siteurl", SITEURL, "--no-vnu", "-q"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert len(out) == 2
    assert out[0].startswith("en/index.html:") and "nope/" in out[0]
    assert main([str(make_site(site.parent / "clean")), "--siteurl", SITEURL, "--no-vnu", "-q"]) == 0


def test_check_is_linear_enough_for_a_large_site(tmp_path: Path) -> None:
    # 4 languages x 200 copies of an article: a quick sanity bound, not a benchmark.
    site = make_site(tmp_path / "big")
    for lang in LANGUAGES:
        source = (site / lang / "strike-funds" / "index.html").read_text(encoding="utf-8")
        for n in range(200):
            folder = site / lang / f"copy-{n}"
            folder.mkdir()
            (folder / "index.html").write_text(source, encoding="utf-8")
    start = time.perf_counter()
    assert check_site(site, siteurl=SITEURL, **FAST) == []
    assert time.perf_counter() - start < 60  # ~2 s on an idle machine


def test_failure_is_json_friendly() -> None:
    failure = Failure("en/index.html", "x/", "broken a href: no file en/x/index.html in the output", 3)
    assert json.loads(json.dumps(failure.__dict__))["line"] == 3
    assert str(Failure("a.xml", "", "not well-formed XML")) == "a.xml: not well-formed XML"


def test_what_the_build_refuses_in_content_is_refused_in_any_site(site: Path) -> None:
    """A site built another way is caught too: scripts, pings, frames, files that are not content."""
    page = "en/about/index.html"
    edit(
        site,
        page,
        "</main>",
        '<p><a href="javascript:alert(1)">j</a> <a href=" JaVaScRiPt:alert(2)">k</a></p>'
        '<p><a href="../" ping="https://track.example/p">p</a></p>'
        '<img src="../../articles/strike-funds/photo.png" onerror="alert(3)" alt="">'
        '<iframe srcdoc="&lt;script&gt;alert(4)&lt;/script&gt;" title="x"></iframe>'
        "<script>alert(5)</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script>\n</main>',
    )
    for name in ("en/about/index.html~", "en/about/index.html.bak", "en/.env", "#notes#", "en/about/en.md"):
        (site / name).write_text("Author: Someone\n", encoding="utf-8")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:x@example.org\n", encoding="utf-8")
    (site / "passwd").symlink_to("/etc/passwd")
    feed = "en/feed.xml"
    text = (site / feed).read_text(encoding="utf-8")
    if '<content type="html">' in text:
        edit(site, feed, '<content type="html">', '<content type="html">&lt;img src=x onerror=alert(6)&gt;')
    failures = check_site(site, siteurl=SITEURL, **FAST)
    found = {(f.file, f.target) for f in failures}
    assert (page, "javascript:alert(1)") in found
    assert (page, " JaVaScRiPt:alert(2)") in found
    assert (page, "ping=") in found
    assert (page, "onerror=") in found
    assert (page, "srcdoc=") in found
    assert (page, "<iframe>") in found
    assert (page, "<script>") in found, "an inline script is refused"
    assert sum(1 for f in failures if f.file == page and f.target == "<script>") == 1, "JSON-LD is data"
    for name in ("en/about/index.html~", "en/about/index.html.bak", "en/.env", "#notes#", "en/about/en.md"):
        assert (name, "") in found, name
    assert (".well-known/security.txt", "") not in found
    assert ("passwd", "") in found
    if '<content type="html">' in text:
        assert (feed, "onerror=") in found
