"""The publishing build refuses the text ``invoke new`` wrote to be replaced (issue 24)."""

from __future__ import annotations

import datetime
from pathlib import Path

from sitebuild import article

from press import workflow


def new_article(tmp_path: Path) -> str:
    content = tmp_path / "made"
    content.mkdir()
    project = workflow.Project(str(content), ["en"], "en")
    path = workflow.new_article(project, "Dockers win", "Strikes", date=datetime.datetime(2026, 1, 5, 9, 0))
    return Path(path).read_text(encoding="utf-8")


def test_an_untouched_new_article_fails_the_publishing_build(tmp_path, build_site):
    built = build_site({"articles/dockers-win/en.md": new_article(tmp_path)}, strict=True, languages=["en"])
    assert built.returncode != 0
    messages = sorted(p["message"] for p in built.problems("placeholder"))
    assert len(messages) == 3, built.problems()
    assert messages[0].startswith("line 4: Summary is the title") and messages[1].startswith("line 5: Share")
    assert "Write the article here" in messages[2]
    assert {p["path"] for p in built.problems("placeholder")} == {"articles/dockers-win/en.md"}


def test_a_written_article_passes_and_a_draft_is_not_checked(tmp_path, build_site):
    text = new_article(tmp_path)
    written = (
        text.replace("Summary: Dockers win.", "Summary: The port stood still for nine days.")
        .replace("Share: Dockers win.", "Share: Nine days that stopped the port")
        .replace("Write the article here, in Markdown.", "The dockers won their strike.")
    )
    draft = text.replace("Title: Dockers win", "Title: Not yet\nStatus: draft")
    built = build_site(
        {"articles/dockers-win/en.md": written, "articles/not-yet/en.md": draft},
        strict=True,
        languages=["en"],
    )
    assert built.problems("placeholder") == [], built.problems()


def test_a_summary_or_share_that_is_the_title_verbatim_is_refused(build_site):
    built = build_site(
        {"articles/a/en.md": article("Dockers win", "Text of it.\n", date="2026-01-01", share="Dockers win")},
        strict=True,
        languages=["en"],
    )
    assert built.returncode != 0
    assert [p["message"][:30] for p in built.problems("placeholder")] == ["line 3: Share is the title its"]
