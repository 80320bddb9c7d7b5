"""Pictures (issues 25 and 27): Image names an article's picture, Caption captions it per language;
the lead shows it with srcset on every front page, the article under its title with the caption."""

from __future__ import annotations

import re

import pytest
from sitebuild import article, build_tree, png, terms_document, translation

LANGS = ["en", "it", "fa"]
SECTIONS = {"news": {"en": "News", "it": "Notizie", "fa": "اخبار"}}
TITLES = {"en": "The Port at Dawn", "it": "Il porto all'alba", "fa": "بندر در سپیده‌دم"}
CAPTIONS = {
    "en": "Dockers gather at the gate before the shift.",
    "it": "I portuali si radunano al cancello prima del turno.",
    "fa": "کارگران بندر پیش از نوبت کار کنار دروازه گرد می‌آیند.",
}
BODIES = {
    "en": "The morning shift did not start.\n",
    "it": "Il turno del mattino non è cominciato.\n",
    "fa": "نوبت صبح آغاز نشد.\n",
}


def tree(**changes: str) -> dict[str, str | bytes]:
    headers = {"image": "port.png", "caption": CAPTIONS["en"], **changes}
    original = article(
        TITLES["en"], BODIES["en"], date="2026-06-10", category="news", placement="lead", **headers
    )
    files: dict[str, str | bytes] = {
        "terms.toml": terms_document(sections=SECTIONS),
        "articles/port/en.md": original,
        "articles/port/port.png": png((1200, 800)),
    }
    for lang in ("it", "fa"):
        files[f"articles/port/{lang}.md"] = translation(
            original, "en", TITLES[lang], BODIES[lang], caption=CAPTIONS[lang]
        )
    return files


def build(root, files, **settings):
    overrides = {"LANGUAGES": LANGS, "PRESS_SEARCH": False, **settings}
    return build_tree(root, files, overrides=overrides)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("pictures"), tree(), PRESS_STRICT=True)
    assert built.returncode == 0, built.log
    return built


def img_tags(page: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", page)


@pytest.mark.parametrize("lang", LANGS)
def test_the_front_page_of_every_language_shows_the_leads_picture_with_srcset(site, lang):
    front = site.page(f"{lang}/index.html")
    lead = front[front.index("front-lead") :]
    tag = img_tags(lead)[0]
    srcset = re.search(r'srcset="([^"]*)"', tag).group(1)
    assert re.fullmatch(r"\S+ \d+w(, \S+ \d+w)*", srcset), srcset  # HTML's comma in every language
    widths = [int(w) for w in re.findall(r" (\d+)w", srcset)]
    assert widths == [480, 960, 1200]
    assert 'width="1200" height="800"' in tag
    assert f'alt="{CAPTIONS[lang]}"' in tag
    for target in re.findall(r"(\S+) \d+w", srcset):
        assert (site.output / lang / target).resolve().is_file(), target


@pytest.mark.parametrize("lang", LANGS)
def test_the_article_shows_its_picture_under_the_title_with_the_caption_in_its_language(site, lang):
    page = site.page(f"{lang}/port/index.html")
    figure = page[page.index('<figure class="article-picture">') :]
    figure = figure[: figure.index("</figure>")]
    assert f"<figcaption>{CAPTIONS[lang]}</figcaption>" in figure
    assert 'type="image/webp"' in figure
    for srcset in re.findall(r'srcset="([^"]*)"', figure):
        assert re.fullmatch(r"\S+ \d+w(, \S+ \d+w)*", srcset), srcset
    assert page.index("<h1") < page.index("article-picture") < page.index('class="body"')


def test_the_sizes_carry_no_metadata_and_are_named_by_content(site):
    from PIL import Image

    made = sorted((site.output / "articles" / "port").glob("port.*.*w.*"))
    assert len(made) == 6  # three widths, JPEG and WebP
    for path in made:
        assert re.fullmatch(r"port\.[0-9a-f]{8}\.\d+w\.(jpg|webp)", path.name)
        with Image.open(path) as image:
            assert not image.getexif() and not image.info.get("exif")


def test_a_translation_without_a_caption_is_incomplete(tmp_path):
    files = tree()
    files["articles/port/fa.md"] = translation(files["articles/port/en.md"], "en", TITLES["fa"], BODIES["fa"])
    built = build(tmp_path, files)
    problems = built.problems("incomplete")
    assert [(p["lang"], p["path"]) for p in problems] == [("fa", "articles/port/fa.md")]
    assert "Caption" in problems[0]["message"]


@pytest.mark.parametrize("name", ["../other/secret.png", "/etc/passwd.png", "https://example.org/x.png"])
def test_an_image_outside_the_articles_folder_is_an_unsafe_file(tmp_path, name):
    built = build(tmp_path, tree(image=name))
    problems = [p for p in built.problems("unsafe-file") if p["key"] == "port"]
    assert problems and "outside the article's folder" in problems[0]["message"], built.report
    assert "secret" not in built.page("en/port/index.html")


def test_an_image_that_is_not_there_is_invalid_metadata(tmp_path):
    built = build(tmp_path, tree(image="missing.jpg"))
    assert any("no such file" in p["message"] for p in built.problems("invalid-metadata")), built.report


def test_a_picture_that_cannot_be_read_is_an_unsafe_file(tmp_path):
    files = tree()
    files["articles/port/port.png"] = b"\x89PNG\r\n\x1a\n not really"
    built = build(tmp_path, files)
    assert any(p["path"] == "articles/port/port.png" for p in built.problems("unsafe-file")), built.report
    assert 'class="article-picture"' not in built.page("en/port/index.html")


def test_an_incremental_build_follows_a_replaced_picture(tmp_path):
    settings = {"LANGUAGES": LANGS, "PRESS_SEARCH": False, "CACHE_PATH": str(tmp_path / "cache")}
    first = build_tree(tmp_path, tree(), overrides=settings)
    assert first.returncode == 0, first.log
    old = re.search(r"port\.([0-9a-f]{8})\.", first.page("en/port/index.html")).group(1)
    second = build_tree(tmp_path, {"articles/port/port.png": png((1000, 500))}, overrides=settings)
    for page in ("en/port/index.html", "en/index.html", "fa/index.html"):
        text = second.page(page)
        assert f"port.{old}." not in text, page
        assert 'width="1000" height="500"' in text, page


def test_sizes_are_kept_under_cache_path_and_copied_into_a_new_output(tmp_path):
    cache = tmp_path / "cache"
    settings = {"LANGUAGES": LANGS, "PRESS_SEARCH": False, "CACHE_PATH": str(cache)}
    first = build_tree(tmp_path / "first", tree(), overrides=settings)
    kept = sorted((cache / "press-pictures").iterdir())
    assert len(kept) == 6, kept
    marker = kept[0]
    marker.write_bytes(b"made by an earlier build")
    second = build_tree(tmp_path / "second", tree(), overrides=settings)
    assert first.returncode == second.returncode == 0
    assert (second.output / "articles" / "port" / marker.name).read_bytes() == b"made by an earlier build"
