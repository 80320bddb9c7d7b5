"""Settings that never surprise, and front pages that agree across editions (issue 14)."""

from __future__ import annotations

import datetime

import pytest
from sitebuild import article, translation, write_tree

from press import workflow
from press.settings import SettingsError, check_unknown_settings, site_url_problem, validate

ONE = {"articles/one/en.md": article("One", "Text of one.\n", date="2026-01-01")}


def stop_line(built) -> str:
    errors = [line for line in built.log.splitlines() if "ERROR" in line]
    assert len(errors) == 1, built.log
    return errors[0]


def test_a_misspelt_press_setting_names_the_closest_one(build_site) -> None:
    built = build_site(ONE, languages=["en"], PRESS_WORKRS=2)
    assert built.returncode == 2
    assert "unknown press setting PRESS_WORKRS (did you mean PRESS_WORKERS?)" in stop_line(built)
    with pytest.raises(SettingsError, match=r"PRESS_STRICTT \(did you mean PRESS_STRICT\?\)"):
        check_unknown_settings({"PRESS_STRICTT": True, "SITEURL": ""})


@pytest.mark.parametrize(
    ("key", "value"),
    [("PRESS_WORKERS", True), ("PRESS_WORKERS", -1), ("PRESS_FEED_SIZE", True), ("PRESS_STRICT", 1)],
)
def test_types_are_checked_strictly(key, value) -> None:
    settings = {"LANGUAGES": ["en"], "DEFAULT_LANG": "en", key: value}
    with pytest.raises(SettingsError, match=f"setting {key} = {value!r} is not valid"):
        validate(settings)


def test_a_published_language_without_a_site_name_shows_the_default_name_and_passes(build_site) -> None:
    """A paper's name is a name: an honest strict build that names the site in some
    languages only must not fail; the other editions show the default language's name."""
    files = {
        **ONE,
        "articles/one/it.md": translation(ONE["articles/one/en.md"], "en", "Uno", "Testo di uno.\n"),
    }
    built = build_site(
        files,
        languages=["en", "it"],
        settings_file="publishconf.py",
        SITEURL="https://press.example.org",
        PRESS_SITE_NAME={"en": "The Organ"},
    )
    assert built.returncode == 0, built.log
    assert not [p for p in built.problems() if p["key"] == "PRESS_SITE_NAME"]
    assert "The Organ" in built.page("it/index.html")
    assert "PRESS_SITE_NAME has no name for it, so those editions show 'The Organ'" in built.log


def test_a_publishing_build_needs_a_real_site_url_after_overrides(build_site) -> None:
    built = build_site(ONE, languages=["en"], settings_file="publishconf.py", SITEURL="")
    assert built.returncode == 2
    assert "a publishing build needs the site's real address" in stop_line(built)
    built = build_site(
        ONE, languages=["en"], settings_file="publishconf.py", SITEURL="https://press.example.org", name="ok"
    )
    assert built.returncode == 0, built.log
    assert (
        site_url_problem("press.example.org") and site_url_problem("") and not site_url_problem("http://a.b")
    )


# -- placements that one edition has and another lacks ------------------------------------


def lead_narrowed_to(languages: str) -> dict[str, str]:
    lead = article("Lead", "Lead text.\n", date="2026-03-01", placement="lead", languages=languages)
    other = article("Other", "Other text.\n", date="2026-03-02")
    files = {"articles/lead/en.md": lead, "articles/other/en.md": other}
    for lang in ("it", "sv"):
        files[f"articles/other/{lang}.md"] = translation(
            other, "en", f"Other {lang}", f"Testo {lang} altro.\n"
        )
        if lang in languages:
            files[f"articles/lead/{lang}.md"] = translation(
                lead, "en", f"Lead {lang}", f"Testo {lang} guida.\n"
            )
    return files


def test_an_edition_left_without_the_lead_is_a_placement_conflict(build_site) -> None:
    built = build_site(lead_narrowed_to("en, it"), languages=["en", "it", "sv"])
    conflicts = built.problems("placement-conflict")
    assert [(p["key"], p["path"]) for p in conflicts] == [("lead", "articles/lead/en.md")]
    message = conflicts[0]["message"]
    assert "en, it edition(s) but not of the sv edition(s)" in message
    assert "add sv to Languages" in message


def test_no_conflict_when_every_edition_has_the_lead_or_nothing_is_placed(build_site) -> None:
    built = build_site(lead_narrowed_to("en, it, sv"), languages=["en", "it", "sv"])
    assert built.problems("placement-conflict") == []
    files = lead_narrowed_to("en, it, sv")
    files["articles/lead/en.md"] = files["articles/lead/en.md"].replace("Placement: lead\n", "")
    for lang in ("it", "sv"):  # the originals changed: restamp the translations
        files[f"articles/lead/{lang}.md"] = translation(
            files["articles/lead/en.md"], "en", f"Lead {lang}", f"Testo {lang} guida.\n"
        )
    assert build_site(files, languages=["en", "it", "sv"], name="none").problems("placement-conflict") == []


def test_frontpage_marks_every_conflict(tmp_path) -> None:
    files = lead_narrowed_to("en, it")
    files["articles/second/en.md"] = article(
        "Second", "Second lead.\n", date="2026-03-03", placement="lead", languages="en"
    )
    write_tree(tmp_path / "content", files)
    project = workflow.Project(str(tmp_path / "content"), ["en", "it", "sv"], "en", {})
    text = workflow.format_front_page(workflow.front_page(project, datetime.date(2026, 6, 1)))
    marked = [line for line in text.splitlines() if line.endswith("<- placement-conflict")]
    assert len(marked) == 2 and any(" lead " in line for line in marked)
    conflicts = [line for line in text.splitlines() if line.startswith("placement-conflict:")]
    assert any("2 articles are the active lead" in line for line in conflicts)
    assert any("not of the sv edition(s)" in line for line in conflicts)
