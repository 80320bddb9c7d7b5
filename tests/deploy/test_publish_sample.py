"""End to end: `invoke publish` of the real sample content, served by a real nginx.

The strict build (publishconf.py), every check (the Nu validator included),
the .gz copies and the atomic switch, then nginx on 127.0.0.1; and a planted
foreign script or broken link stops the publish with the exact file and link,
leaving the live release as it was.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_fakesite import PROJECT
from test_deploy_nginx import nginx_serving

from deploy.release import ReleaseError, publish
from press import workflow

SITEURL = "https://press.example.org"
LANGUAGES = ["en", "it", "sv", "fa"]


def strict_build(content: Path):
    def build(out) -> None:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pelican",
                str(content),
                "-s",
                str(PROJECT / "publishconf.py"),
                "-o",
                str(out),
                "-e",
                f'PRESS_REPORT="{out}.report.json"',
                f'SITEURL="{SITEURL}"',
            ],
            capture_output=True,
            text=True,
            env=dict(os.environ, SOURCE_DATE_EPOCH="1790000000"),
            cwd=PROJECT,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    return build


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish-sample")
    root = base / "deploy"
    release = publish(root, strict_build(PROJECT / "content"), siteurl=SITEURL, languages=LANGUAGES)
    with nginx_serving(root, base / "prefix", LANGUAGES, "en") as server:
        yield server, release, base


def test_the_published_sample_is_live_checked_and_compressed(live):
    server, release, _ = live
    assert (server.root / "current").resolve() == release.resolve()
    assert (release / "en" / "index.html.gz").is_file()
    status, headers, body = server.get("/it/why-a-central-organ/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert 'lang="it"' in gzip.decompress(body).decode("utf-8")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    status, headers, _ = server.get("/", {"Accept-Language": "sv;q=0.8, fa"})
    assert status == 302 and headers["Location"].endswith("/fa/")
    status, _, body = server.get("/fa/no-such-page/")
    assert status == 404 and 'dir="rtl"' in body.decode("utf-8")


@pytest.mark.parametrize(
    ("planted", "needle"),
    [
        ("[a broken link](../no-such-article/en.md)", "no-such-article"),
    ],
)
def test_a_planted_defect_stops_the_publish_and_names_file_and_link(live, tmp_path, planted, needle):
    server, release, _ = live
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    # planted in every version, and the translations stamped, so that the
    # strict build itself passes and only the check can find it
    for version in (content / "articles" / "metadata-tells").glob("*.md"):
        version.write_text(version.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    project = workflow.Project(str(content), LANGUAGES, "en", {"communist-left": {}})
    for lang in ("it", "sv", "fa"):
        workflow.stamp(project, "metadata-tells", lang)
    with pytest.raises(ReleaseError) as failure:
        publish(server.root, strict_build(content), siteurl=SITEURL, languages=LANGUAGES)
    message = str(failure.value)
    assert "en/metadata-tells/index.html" in message and needle in message
    assert (server.root / "current").resolve() == release.resolve()
    status, _, _ = server.get("/en/metadata-tells/")
    assert status == 200


def test_a_planted_script_stops_the_strict_build_itself(live, tmp_path):
    """A script from another host is unsafe-html: the build refuses it before any check runs."""
    server, release, _ = live
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    version = content / "articles" / "metadata-tells" / "en.md"
    planted = '<script src="https://cdn.example.net/track.js"></script>'
    version.write_text(version.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    with pytest.raises(ReleaseError) as failure:
        publish(server.root, strict_build(content), siteurl=SITEURL, languages=LANGUAGES)
    assert "build failed" in str(failure.value)
    assert (server.root / "current").resolve() == release.resolve()
