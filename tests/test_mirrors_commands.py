"""The mirrors page's commands work as shown (issue 25.8): a small signed release is built and
published with the project's tools, then exactly the commands its Persian mirrors page shows are
run with the system's OpenSSL 3 and sha256sum in a copy of the release: they succeed on the copy,
and fail on a changed file or a changed list."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sitebuild import article, run_pelican, terms_toml, translation, write_tree

from deploy.checksums import CHECKSUMS_NAME, CHECKSUMS_SIGNATURE_NAME
from deploy.manifest import MANIFEST_NAME, SIGNATURE_NAME, read_manifest
from deploy.release import publish
from deploy.signing import fingerprint, generate_key
from deploy.verify import verify_folder
from press.paper.mirrors import PEM_KEY_FILE

SITEURL = "https://press.example.org"
LANGUAGES = ["en", "fa"]
COMMAND_BLOCK = re.compile(r'<pre class="command" dir="ltr" translate="no"><code>(.*?)</code></pre>', re.S)


def openssl_major() -> int | None:
    if shutil.which("openssl") is None:
        return None
    result = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=False)
    found = re.match(r"OpenSSL (\d+)\.", result.stdout)
    return int(found.group(1)) if found else None


def tools_missing() -> str | None:
    major = openssl_major()
    if major is None:
        return "OpenSSL is not installed (or is not OpenSSL, e.g. LibreSSL)"
    if major < 3:
        return f"OpenSSL {major} is installed: 'pkeyutl -rawin' for Ed25519 needs OpenSSL 3"
    if shutil.which("sha256sum") is None:
        return "sha256sum (GNU coreutils) is not installed"
    return None


pytestmark = pytest.mark.skipif(tools_missing() is not None, reason=tools_missing() or "")


def site_files() -> dict[str, str]:
    original = article(
        "A Paper for Every Language", "The branch met on Tuesday evening.\n", date="2026-05-01"
    )
    return {
        "terms.toml": terms_toml(),
        "articles/paper/en.md": original,
        "articles/paper/fa.md": translation(
            original, "en", "روزنامه‌ای برای هر زبان", "شاخه سه‌شنبه شب گرد آمد.\n"
        ),
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    """A release published and signed by deploy.release, and its key."""
    base = tmp_path_factory.mktemp("mirrors-commands")
    key_path = base / "keys" / "press.key"
    public_key = generate_key(key_path)
    content = base / "content"
    write_tree(content, site_files())

    def build(out) -> None:
        result = run_pelican(
            content,
            Path(out),
            base / "report.json",
            settings_file="publishconf.py",
            overrides={
                "SITEURL": SITEURL,
                "LANGUAGES": LANGUAGES,
                "PRESS_SIGNING_PUBLIC_KEY": public_key,
                "PRESS_EDITIONS": False,
            },
        )
        assert result.returncode == 0, result.stdout + result.stderr

    release = publish(
        base / "root",
        build,
        siteurl=SITEURL,
        languages=LANGUAGES,
        check_options={"validate_html": False},
        signing_key=str(key_path),
        public_key=public_key,
    )
    return {"release": release, "public_key": public_key, "base": base}


def page_commands(release: Path, lang: str) -> list[str]:
    page = (release / lang / "mirrors" / "index.html").read_text(encoding="utf-8")
    return [html.unescape(block) for block in COMMAND_BLOCK.findall(page)]


def reader_commands(release: Path) -> tuple[str, str, str]:
    """The three commands of the numbered steps, as the fa page shows them (the same as en's)."""
    fingerprint_command, signature_command, files_command = page_commands(release, "fa")[:3]
    assert page_commands(release, "en")[:3] == [fingerprint_command, signature_command, files_command]
    return fingerprint_command, signature_command, files_command


def run(command: str, folder: Path) -> subprocess.CompletedProcess:
    """A command exactly as a reader types it into a POSIX shell, in the copy's folder."""
    return subprocess.run(
        ["sh", "-c", command], cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


def copy_of(published: dict, name: str) -> Path:
    target = published["base"] / name
    shutil.copytree(published["release"], target)
    return target


def test_the_commands_the_page_shows_check_a_copy_of_a_signed_release(published):
    copy = copy_of(published, "copy")
    fingerprint_command, signature_command, files_command = reader_commands(copy)
    assert "invoke" not in fingerprint_command + signature_command + files_command

    shown = run(fingerprint_command, copy)
    assert shown.returncode == 0, shown.stderr
    expected = fingerprint(published["public_key"]).replace(" ", "")
    assert shown.stdout.split()[0] == expected
    page = (copy / "fa" / "mirrors" / "index.html").read_text(encoding="utf-8")
    assert fingerprint(published["public_key"]) in page  # the digits the reader compares

    signed = run(signature_command, copy)
    assert signed.returncode == 0, signed.stdout + signed.stderr
    assert "Signature Verified Successfully" in signed.stdout
    checked = run(files_command, copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""


def test_a_changed_file_fails_sha256sum_and_a_changed_list_fails_openssl(published):
    copy = copy_of(published, "tampered")
    _, signature_command, files_command = reader_commands(copy)
    page = copy / "en" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>forged</p></main>"), "utf-8")

    checked = run(files_command, copy)
    assert checked.returncode != 0
    assert "en/index.html: FAILED" in checked.stdout
    assert run(signature_command, copy).returncode == 0  # the list itself is still the press's

    # A forger who also rewrites the list to match the changed page breaks its signature.
    listing = copy / CHECKSUMS_NAME
    forged_digest = subprocess.run(
        ["sha256sum", "en/index.html"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout
    lines = [
        forged_digest if line.endswith("  en/index.html\n") else line
        for line in listing.read_text(encoding="utf-8").splitlines(keepends=True)
    ]
    listing.write_text("".join(lines), encoding="utf-8")
    assert run(files_command, copy).returncode == 0
    refused = run(signature_command, copy)
    assert refused.returncode != 0
    assert "Signature Verified Successfully" not in refused.stdout


def test_a_key_other_than_the_press_s_fails_the_signature(published, tmp_path):
    copy = copy_of(published, "other-key")
    _, signature_command, _ = reader_commands(copy)
    other = generate_key(tmp_path / "other.key")
    der = bytes.fromhex("302a300506032b6570032100") + base64.b64decode(other)
    pem = "-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n"
    (copy / PEM_KEY_FILE).write_text(pem, encoding="ascii")
    assert run(signature_command, copy).returncode != 0


def test_the_list_covers_every_file_and_the_signed_manifest_covers_the_list(published):
    release = published["release"]
    manifest = read_manifest(release)
    listed = {
        line.split("  ", 1)[1] for line in (release / CHECKSUMS_NAME).read_text(encoding="utf-8").splitlines()
    }
    assert listed == set(manifest) - {CHECKSUMS_NAME, CHECKSUMS_SIGNATURE_NAME}
    assert {CHECKSUMS_NAME, CHECKSUMS_SIGNATURE_NAME, PEM_KEY_FILE} <= set(manifest)
    assert any(path.endswith(".gz") for path in listed)
    assert len((release / CHECKSUMS_SIGNATURE_NAME).read_bytes()) == 64
    assert (release / SIGNATURE_NAME).read_text(encoding="ascii").startswith("ed25519 ")
    assert MANIFEST_NAME not in listed and SIGNATURE_NAME not in listed
    # The project's own verify still passes on the release, the two new files included.
    assert verify_folder(release, published["public_key"]).ok
