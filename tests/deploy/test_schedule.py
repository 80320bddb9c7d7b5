"""deploy.schedule (issue 27): publish --when-due makes one release across an embargo's instant."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

from deploy_fakesite import LANGUAGES, SITEURL, make_site

from deploy import publishing, release, schedule

PROJECT = Path(__file__).resolve().parents[2]
INSTANT = dt.datetime(2026, 6, 21, 10, 0)
FAST = {"validate_html": False}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def content(tmp_path: Path) -> Path:
    return write(
        tmp_path / "content",
        {
            "articles/call/en.md": """
                Title: The Call
                Date: 2026-06-20
                Embargo: 2026-06-21 12:00 +02:00

                The call, in every edition at once.
            """,
            "articles/old/en.md": """
                Title: Old News
                Date: 2026-06-01

                Published long ago.
            """,
        },
    )


def publisher(root: Path, made: list[dt.datetime]):
    def publish(now: dt.datetime) -> Path:
        made.append(now)
        return release.publish(
            root,
            lambda out: make_site(out),
            siteurl=SITEURL,
            languages=LANGUAGES,
            check_options=FAST,
            now=now.replace(tzinfo=dt.UTC),
        )

    return publish


def test_when_due_run_a_minute_apart_across_the_instant_makes_exactly_one_release(tmp_path, capsys):
    root = tmp_path / "deploy"
    comings = schedule.read_schedule(content(tmp_path), ["en"])
    assert [(c.key, c.instant) for c in comings] == [("call", INSTANT)]
    made: list[dt.datetime] = []
    publish = publisher(root, made)
    first = publish(dt.datetime(2026, 6, 21, 9, 0))  # the morning's release
    runs = [INSTANT - dt.timedelta(seconds=30), INSTANT + dt.timedelta(seconds=30)]
    results = [schedule.publish_when_due(root, comings, publish, now=now) for now in runs]
    assert results[0] == (None, [])
    path, due = results[1]
    assert path is not None and [c.key for c in due] == ["call"]
    assert path.name.startswith("20260621T100030.000000Z-")  # dated by the run's clock
    again = [INSTANT + dt.timedelta(seconds=30), INSTANT + dt.timedelta(minutes=5)]
    assert [schedule.publish_when_due(root, comings, publish, now=now)[0] for now in again] == [None, None]
    assert release.list_releases(root) == [first.name, path.name]
    publishing.print_releases(root)
    listing = capsys.readouterr().out
    line = next(line for line in listing.splitlines() if path.name in line)
    assert "embargo of articles/call (2026-06-21 10:00:00 UTC)" in line
    assert "embargo" not in next(line for line in listing.splitlines() if first.name in line)


def test_no_current_release_and_an_embargo_passed_publishes(tmp_path):
    root = tmp_path / "deploy"
    comings = schedule.read_schedule(content(tmp_path), ["en"])
    path, _ = schedule.publish_when_due(root, comings, publisher(root, []), now=INSTANT)
    assert path is not None and release.current_release(root) == path.name


def test_source_date_epoch_is_the_release_instant(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(INSTANT.replace(tzinfo=dt.UTC).timestamp()) + 5))
    root = tmp_path / "deploy"
    comings = schedule.read_schedule(content(tmp_path), ["en"])
    path, _ = schedule.publish_when_due(root, comings, publisher(root, []))
    assert path.name.startswith("20260621T100005.000000Z-")


def test_schedule_prints_coming_releases_per_language_and_what_is_not_ready(tmp_path):
    folder = content(tmp_path)
    original = (folder / "articles/call/en.md").read_text(encoding="utf-8")
    write(
        folder, {"articles/call/it.md": "Title: L'appello\nTranslation-Of: en@000000000000\n\nL'appello.\n"}
    )
    comings = schedule.read_schedule(folder, ["en", "it", "fa"])
    lines = schedule.schedule_lines(comings, INSTANT - dt.timedelta(hours=1))
    assert lines[0].startswith("2026-06-21 10:00:00 UTC  articles/call  NOT READY")
    assert "    en: 'The Call'  ready" in lines
    assert '    it: "L\'appello"  stale' in lines
    assert "    fa: (no version)  missing" in lines
    assert "Embargo" in original
    assert schedule.schedule_lines(comings, INSTANT) == ["no embargo to come: nothing is scheduled"]


def test_the_timer_and_service_in_deploy_are_the_ones_the_module_writes():
    files = schedule.timer_files("/opt/press", "/srv/press", "/opt/press/.venv/bin/invoke")
    for name, text in files.items():
        assert (PROJECT / "deploy" / name).read_text(encoding="utf-8") == text
    assert "OnCalendar=*-*-* *:*:00" in files["press-publish.timer"]
    assert "publish --when-due" in files["press-publish.service"]


def test_invoke_schedule_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "schedule"], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_invoke_schedule_writes_the_timer_for_this_checkout(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "schedule", "--timer", str(tmp_path), "--root", "/srv/paper"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    service = (tmp_path / "press-publish.service").read_text(encoding="utf-8")
    assert f"WorkingDirectory={PROJECT}" in service
    assert "publish --when-due --root /srv/paper" in service
    assert (tmp_path / "press-publish.timer").read_text(encoding="utf-8") == schedule.TIMER
