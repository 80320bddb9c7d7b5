"""A build into a folder an earlier build wrote keeps nothing under the kinds' folders
that this build did not put there (an attachment deleted or withdrawn, the sizes of a
replaced picture): publishing builds into the previous release's output (issue 26)."""

from __future__ import annotations

from sitebuild import article, build_tree, png


def tree(extra: bool = True, embargoed: bool = False, picture: str = "photo.png") -> dict:
    files = {
        "articles/strike/en.md": article(
            "The Strike",
            "The port stopped. ![The pickets](pickets.png)\n",
            date="2026-05-01",
            image=picture,
            caption="The pickets at dawn",
        ),
        "articles/strike/pickets.png": png((12, 8)),
        f"articles/strike/{picture}": png((40, 30) if picture == "photo.png" else (30, 40)),
    }
    if extra:
        files["articles/strike/extra.png"] = png()
    secret = {"embargo": "2026-12-01 10:00 +00:00"} if embargoed else {}
    files["articles/plan/en.md"] = article("The Plan", "![Plan](plan.png)\n", date="2026-05-02", **secret)
    files["articles/plan/plan.png"] = png((9, 9))
    return files


def files_under(output, kind: str = "articles") -> set[str]:
    return {path.relative_to(output).as_posix() for path in (output / kind).rglob("*") if path.is_file()}


def test_what_an_earlier_build_left_under_the_articles_is_removed(tmp_path):
    overrides = {"LANGUAGES": ["en"], "PRESS_SEARCH": False, "CACHE_PATH": str(tmp_path / "cache")}
    first = build_tree(tmp_path, tree(), overrides=overrides)
    assert first.returncode == 0, first.log
    before = files_under(first.output)
    assert {"articles/strike/extra.png", "articles/plan/plan.png", "articles/strike/pickets.png"} <= before
    sizes_before = {path for path in before if ".w." in path or path.endswith(("w.jpg", "w.webp"))}
    assert sizes_before

    # the editor deletes extra.png, replaces the picture, and embargoes the other article
    (tmp_path / "content" / "articles" / "strike" / "extra.png").unlink()
    (tmp_path / "content" / "articles" / "strike" / "photo.png").unlink()
    again = build_tree(
        tmp_path,
        tree(extra=False, embargoed=True, picture="dawn.png"),
        overrides={**overrides, "PRESS_STRICT": True},
    )
    after = files_under(again.output)
    assert "articles/strike/extra.png" not in after
    assert "articles/strike/photo.png" not in after
    assert not any(path.startswith("articles/plan/") for path in after), after
    assert not (again.output / "articles" / "plan").exists()
    assert "articles/strike/pickets.png" in after and "articles/strike/dawn.png" in after
    new_sizes = {path for path in after if path.endswith(("w.jpg", "w.webp"))}
    assert new_sizes and not (new_sizes & sizes_before)
