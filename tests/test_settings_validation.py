"""Settings that reach a header, a URL or a page are refused when read, with one line (issue 21)."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest
from sitebuild import PROJECT, article

from deploy.nginx import render_nginx_conf
from press.settings import SettingsError, validate

ONION = "http://" + "a" * 56 + ".onion"
PUBLIC_KEY = base64.b64encode(bytes(range(32))).decode("ascii")
ONE = {"articles/one/en.md": article("One", "Text of one.\n", date="2026-01-01")}


def checked(**settings) -> dict:
    values = {"LANGUAGES": ["en"], "DEFAULT_LANG": "en", **settings}
    validate(values)
    return values


def stop_line(built) -> str:
    errors = [line for line in built.log.splitlines() if "ERROR" in line]
    assert len(errors) == 1, built.log
    return errors[0]


@pytest.mark.parametrize(
    "url",
    [
        ONION + "\n",  # "$" matched before the final line break: a raw newline in Onion-Location
        ONION + "/\n",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://mirror.example.net/"><script>alert(1)</script>',
        "https://mirror.example.net/\x00",
        "https://mirror.example.net/\x85",
        "https://mirror.example.net/a\rb",
        "https://mirror.example.net/ a",
        "http://mirror.example.net/",  # plain http only for an onion service
        "ftp://mirror.example.net/",
        "https://user@mirror.example.net/",
        "https://mirror.example.net/?q=1",
        "https:///no-host",
        "",
    ],
)
def test_a_mirror_that_is_not_https_or_an_onion_is_refused(url):
    with pytest.raises(SettingsError) as raised:
        checked(PRESS_MIRRORS=[{"url": url}])
    message = str(raised.value)
    assert message.startswith("setting PRESS_MIRRORS = ")
    assert "\n" not in message and "\r" not in message and "\x00" not in message


def test_good_mirrors_pass():
    values = checked(
        PRESS_MIRRORS=[
            {"url": "https://mirror.example.net/"},
            {"url": "https://mirror.example.net:8443/press/"},
            {"url": ONION, "languages": ["en"], "onion": True},
            {"url": ONION + "/"},
        ]
    )
    assert len(values["PRESS_MIRRORS"]) == 4


def test_a_mirror_entry_with_an_unknown_key_or_bad_languages_is_refused():
    with pytest.raises(SettingsError, match="unknown key"):
        checked(PRESS_MIRRORS=[{"url": "https://m.example.net/", "language": ["en"]}])
    with pytest.raises(SettingsError, match="'languages' is not a list of language codes"):
        checked(PRESS_MIRRORS=[{"url": "https://m.example.net/", "languages": "en"}])


def test_nginx_refuses_an_onion_address_with_a_line_break():
    assert "Onion-Location" in render_nginx_conf(["en"], "en", "/srv/press", onion=ONION)
    for onion in (ONION + "\n", ONION + "/\n", ONION + "\nadd_header X y"):
        with pytest.raises(ValueError, match="onion"):
            render_nginx_conf(["en"], "en", "/srv/press", onion=onion)


@pytest.mark.parametrize("key", ["AAAA", "A" * 44, PUBLIC_KEY + "\n", PUBLIC_KEY[:-2] + "==", "not a key", 7])
def test_a_public_key_that_is_not_32_bytes_of_base64_is_refused(key):
    with pytest.raises(SettingsError, match=r"setting PRESS_SIGNING_PUBLIC_KEY = .* is not valid"):
        checked(PRESS_SIGNING_PUBLIC_KEY=key)


def test_a_valid_public_key_or_none_passes():
    assert checked(PRESS_SIGNING_PUBLIC_KEY=PUBLIC_KEY)["PRESS_SIGNING_PUBLIC_KEY"] == PUBLIC_KEY
    assert checked()["PRESS_SIGNING_PUBLIC_KEY"] == ""


@pytest.mark.parametrize("name", ["The\x01Organ", "The Organ\n", "The\x7fOrgan", "The\u2028Organ", "A\ufffe"])
def test_site_names_with_control_characters_are_refused(name):
    with pytest.raises(SettingsError, match="setting PRESS_SITE_NAME"):
        checked(PRESS_SITE_NAME=name)
    with pytest.raises(SettingsError, match="setting PRESS_SITE_NAME"):
        checked(PRESS_SITE_NAME={"en": name})
    with pytest.raises(SettingsError, match="setting SITENAME"):
        checked(SITENAME=name)


def test_a_site_address_with_a_line_break_or_a_quote_is_refused():
    for siteurl in ("https://press.example.org\n", 'https://press.example.org/"><script>'):
        with pytest.raises(SettingsError, match="setting SITEURL"):
            checked(SITEURL=siteurl)
    assert checked(SITEURL="https://press.example.org")["SITEURL"]


def test_a_control_character_in_the_site_name_stops_the_build_with_one_line(build_site):
    # It used to be an internal-error while writing the feeds.
    built = build_site(ONE, languages=["en"], PRESS_SITE_NAME="The\x01Organ", PRESS_SEARCH=False)
    assert built.returncode == 2, built.log
    line = stop_line(built)
    assert "setting PRESS_SITE_NAME = 'The\\x01Organ' is not valid" in line
    # The report says the build stopped on the setting (not a failure while writing the feeds).
    (stopped,) = built.problems("internal-error")
    stopped_on = "the build stopped before it read the content: setting PRESS_SITE_NAME"
    assert stopped["message"].startswith(stopped_on)


def test_a_bad_mirror_or_key_stops_the_build_with_one_line(build_site):
    built = build_site(ONE, languages=["en"], PRESS_MIRRORS=[{"url": ONION + "\n"}], name="mirror")
    assert built.returncode == 2, built.log
    assert "setting PRESS_MIRRORS" in stop_line(built)
    built = build_site(ONE, languages=["en"], PRESS_SIGNING_PUBLIC_KEY="AAAA", name="key")
    assert built.returncode == 2, built.log
    assert "setting PRESS_SIGNING_PUBLIC_KEY = 'AAAA' is not valid" in stop_line(built)


def test_the_mirrors_page_shows_the_verify_command_with_the_key(build_site):
    mirrors = [{"url": "https://mirror.example.net/"}, {"url": ONION + "/"}]
    built = build_site(
        ONE, languages=["en"], PRESS_MIRRORS=mirrors, PRESS_SIGNING_PUBLIC_KEY=PUBLIC_KEY, PRESS_SEARCH=False
    )
    assert built.returncode == 0, built.log
    page = built.page("en/mirrors/index.html")
    assert f"invoke verify --source https://…/ --key {PUBLIC_KEY}" in page
    assert f'href="{ONION}/en/"' in page
    unsigned = build_site(ONE, languages=["en"], PRESS_SEARCH=False, name="unsigned")
    assert "invoke verify --source ./copy-of-the-site/ --allow-unsigned" in unsigned.page(
        "en/mirrors/index.html"
    )


def test_nginx_conf_refuses_a_mirror_with_a_line_break_in_one_line(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        f'TIMEZONE = "UTC"\nSITEURL = "https://press.example.org"\nPATH = "{tmp_path}"\n'
        f'LANGUAGES = ["en"]\nDEFAULT_LANG = "en"\nPRESS_MIRRORS = [{{"url": {ONION + chr(10)!r}}}]\n',
        encoding="utf-8",
    )
    output = tmp_path / "nginx.conf"
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "nginx-conf", "--settings", str(settings), "--output", str(output)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "setting PRESS_MIRRORS is not valid" in lines[0], result.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    "family", ['Noto Serif"; } body { background: url(x) } x {', "Noto:style=Bold", "A\nB", ""]
)
def test_a_font_family_that_would_break_out_of_the_editions_css_is_refused(family):
    with pytest.raises(SettingsError, match="setting PRESS_EDITION_FONTS"):
        checked(PRESS_EDITION_FONTS={"en": [family]})


def test_font_families_as_fontconfig_names_them_pass():
    fonts = {"en": ["Noto Serif", "IBM Plex Sans"], "zh": ["Noto Sans CJK SC", "宋体"]}
    assert checked(PRESS_EDITION_FONTS=fonts)["PRESS_EDITION_FONTS"] == fonts


def test_a_line_break_after_a_language_code_or_a_key_is_refused():
    # "$" matched before a final line break: "en\n" passed as a language, "key\n" as a key
    with pytest.raises(SettingsError, match="setting LANGUAGES"):
        checked(LANGUAGES=["en\n"], DEFAULT_LANG="en\n")
    from press.settings import SLUG

    assert SLUG.match("strike-funds") and not SLUG.match("strike-funds\n")
    with pytest.raises(ValueError):
        render_nginx_conf(["en\n"], "en\n", "/srv/press")


@pytest.mark.parametrize("output", [".", "articles", ".."], ids=["content", "inside", "holding"])
def test_an_output_folder_that_is_or_holds_the_content_folder_is_refused(tmp_path, output):
    from sitebuild import one_article_tree, run_pelican, write_tree

    content = tmp_path / "project" / "content"
    write_tree(content, one_article_tree())
    before = sorted(path.relative_to(content) for path in content.rglob("*"))
    result = run_pelican(content, content / output, tmp_path / "report.json")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    assert "the output folder" in log and "content folder" in log, log
    # nothing was written or removed: every article's text is still there, nothing beside it
    assert sorted(path.relative_to(content) for path in content.rglob("*")) == before


@pytest.mark.parametrize("key", ["CACHE_PATH", "PRESS_REPORT"])
def test_a_cache_or_report_inside_the_content_folder_is_refused(tmp_path, key):
    from sitebuild import one_article_tree, run_pelican, write_tree

    content = tmp_path / "content"
    write_tree(content, one_article_tree())
    before = sorted(path.relative_to(content) for path in content.rglob("*"))
    inside = str(content / ("cache" if key == "CACHE_PATH" else "report.json"))
    result = run_pelican(content, tmp_path / "output", tmp_path / "report.json", overrides={key: inside})
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert f"setting {key} = " in log and "lies inside the content folder" in log, log
    assert sorted(path.relative_to(content) for path in content.rglob("*")) == before
