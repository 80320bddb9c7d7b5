"""A build in a new process compares again only the keys whose files changed (issue 26).

The comparisons of translations with their originals are kept in CACHE_PATH;
what a build reports is the same as a clean build's of the same tree.
"""

from __future__ import annotations

import json
import os
import subprocess

from sitebuild import FIXED_NOW, PELICAN, PROJECT, article, terms_toml, translation, write_tree

from press.pipeline.carried import BODIES_SHARDS, FINDINGS_SHARDS, shard_of

ITALIAN = [
    "Le casse di resistenza si costruiscono nei tempi tranquilli, molto prima di ogni sciopero.",
    "Quando i portuali fermarono il lavoro a marzo, la cassa pagò ogni famiglia per nove giorni.",
    "Le sezioni che tenevano separate le proprie casse non poterono aiutarsi in tempo: ognuna dovette"
    " convocare la propria riunione, contare il proprio denaro e votare le proprie regole, mentre gli"
    " scioperanti aspettavano dieci giorni senza nulla, e diverse famiglie lasciarono la città.",
]
PARAGRAPHS = [
    "Strike funds are built in quiet times, long before any strike.",
    "When the dockers stopped work in March, the fund paid every family for nine days.",
    "The branches that kept their own funds apart could not help one another in time: each had to"
    " call its own meeting, count its own money and vote on its own rules, while the strikers waited"
    " for a week and a half with nothing, and several families left the city before the first payment.",
]


def tree(changed: bool = False) -> dict[str, str]:
    files = {}
    for number in range(3):
        body = "\n\n".join(PARAGRAPHS) + "\n"
        if changed and number == 0:
            body += (
                "\nA fourth paragraph the original gained after the translations were made, long enough.\n"
            )
        original = article(f"Strike funds {number}", body, date="2026-05-01", category="strikes")
        files[f"articles/funds-{number}/en.md"] = original
        # the third key's translation lacks the last paragraph
        italian = "\n\n".join(ITALIAN if number != 2 else ITALIAN[:2])
        files[f"articles/funds-{number}/it.md"] = translation(
            article(
                f"Strike funds {number}",
                "\n\n".join(PARAGRAPHS) + "\n",
                date="2026-05-01",
                category="strikes",
            ),
            "en",
            f"Casse di resistenza {number}",
            italian + "\n",
        )
    return files


def build(root, files, cache) -> tuple[dict, str]:
    """Build ``files`` in a new process, with the press's own log lines (-v)."""
    write_tree(root / "content", {"terms.toml": terms_toml(), **files})
    report = root / "report.json"
    values = {
        "LANGUAGES": ["en", "it"],
        "CACHE_PATH": str(cache),
        "PRESS_SEARCH": False,
        "PRESS_REPORT": str(report),
        "PRESS_EDITIONS": False,
    }
    command = [
        *PELICAN,
        str(root / "content"),
        "-s",
        str(PROJECT / "pelicanconf.py"),
        "-o",
        str(root / "output"),
    ]
    command += ["-v", "-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="200")
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in log, log
    return json.loads(report.read_text(encoding="utf-8")), log


def test_a_new_process_compares_only_changed_keys_and_reports_what_a_clean_build_does(tmp_path):
    cache = tmp_path / "cache"
    first, log = build(tmp_path / "site", tree(), cache)
    assert "not compared again" not in log
    assert [(p["kind"], p["key"]) for p in first["problems"]] == [("incomplete", "funds-2")], first

    again, log = build(tmp_path / "site", tree(), cache)
    assert "3 keys unchanged since the last build: their translations not compared again" in log, log
    assert "6 bodies unchanged since the last build: not prepared again" in log, log
    assert again == first

    kept = {part: part.stat().st_mtime_ns for part in [*parts(cache, "bodies"), *parts(cache, "findings")]}
    changed, log = build(tmp_path / "site", tree(changed=True), cache)
    assert "2 keys unchanged since the last build: their translations not compared again" in log, log
    assert "5 bodies unchanged since the last build: not prepared again" in log, log
    # one original changed: only the part holding its body, and the part holding its key's
    # comparison, are written again; every other part keeps its bytes and its mtime
    for kind, name in (("bodies", "articles/funds-0/en.md"), ("findings", "articles/funds-0")):
        rewritten = [part for part in parts(cache, kind) if part.stat().st_mtime_ns != kept.get(part)]
        assert rewritten == [part_holding(cache, kind, name)], (kind, rewritten)
        assert len(parts(cache, kind)) > 1
    assert (tmp_path / "site" / "output" / "en" / "funds-0" / "index.html").read_text(encoding="utf-8").count(
        "A fourth paragraph the original gained"
    ) == 1
    clean, log = build(tmp_path / "clean", tree(changed=True), tmp_path / "fresh")
    assert "not compared again" not in log
    assert changed == clean
    for page in ("en/funds-0/index.html", "it/funds-0/index.html", "en/funds-1/index.html", "en/index.html"):
        assert (tmp_path / "site" / "output" / page).read_bytes() == (
            tmp_path / "clean" / "output" / page
        ).read_bytes()
    assert changed != first  # the change was seen (funds-0's translation is stale now)


def parts(cache, kind: str) -> list:
    """The files one kind of record is spread over (``press-<kind>-<content>/xx.json``)."""
    return sorted(cache.glob(f"press-{kind}-*/*.json"))


def part_holding(cache, kind: str, name: str):
    """The part a version's path (bodies) or a key (findings) is kept in."""
    count = {"bodies": BODIES_SHARDS, "findings": FINDINGS_SHARDS}[kind]
    (folder,) = cache.glob(f"press-{kind}-*/")
    return folder / f"{shard_of(name, count):02x}.json"


def test_bodies_and_findings_are_spread_over_parts_by_path_and_key(tmp_path):
    cache = tmp_path / "cache"
    build(tmp_path / "site", tree(), cache)
    # no whole record of every body (~1 GB at 20,000 keys in 6 languages): one folder of parts
    assert not [*cache.glob("press-bodies-*.json"), *cache.glob("press-findings-*.json")]
    versions = [f"articles/funds-{number}/{lang}.md" for number in range(3) for lang in ("en", "it")]
    keys = [f"articles/funds-{number}" for number in range(3)]
    for kind, names in (("bodies", versions), ("findings", keys)):
        held: dict = {}
        for name in names:
            held.setdefault(part_holding(cache, kind, name), []).append(name)
        assert parts(cache, kind) == sorted(held), kind  # only the parts that hold an entry are written
        for part, in_it in held.items():
            entries = json.loads(part.read_text(encoding="utf-8"))["entries"]
            assert len(entries) == len(in_it), (part, entries)

    # the whole records an older press kept are removed once their parts replace them
    (whole,) = [folder.with_suffix(".json") for folder in cache.glob("press-bodies-*")]
    whole.write_text('{"signature": "an older press", "entries": {}}', encoding="utf-8")
    _report, log = build(tmp_path / "site", tree(), cache)
    assert "6 bodies unchanged since the last build" in log, log
    assert not whole.exists()


def test_an_unreadable_record_is_ignored(tmp_path):
    cache = tmp_path / "cache"
    first, _log = build(tmp_path / "site", tree(), cache)
    records = [*parts(cache, "bodies"), *parts(cache, "findings")]
    assert {record.parent.name.split("-")[1] for record in records} == {"bodies", "findings"}
    for record in records:
        record.write_text("{not json", encoding="utf-8")
    again, log = build(tmp_path / "site", tree(), cache)
    assert "not compared again" not in log
    assert again == first


def test_a_new_key_costs_itself_and_the_keys_that_link_to_it_not_the_archive(tmp_path):
    """Adding an article prepares and compares that key again, and the key whose body links to
    it (its link now leads somewhere), not every key: the archive's other work is carried."""
    cache = tmp_path / "cache"
    files = {
        **tree(),
        "articles/notes/en.md": article(
            "Notes", "See [the news]({filename}../news/en.md) when it is out.\n", date="2026-05-02"
        ),
    }
    build(tmp_path / "site", files, cache)
    page = tmp_path / "site" / "output" / "en" / "notes" / "index.html"
    assert 'href="../../en/news/"' not in page.read_text(encoding="utf-8")

    files["articles/news/en.md"] = article("News", "\n\n".join(PARAGRAPHS) + "\n", date="2026-05-03")
    files["articles/news/it.md"] = translation(
        files["articles/news/en.md"], "en", "Notizie", "\n\n".join(ITALIAN) + "\n"
    )
    added, log = build(tmp_path / "site", files, cache)
    # the three keys of the archive are not compared again; their six bodies are not prepared again
    assert "3 keys unchanged since the last build: their translations not compared again" in log, log
    assert "6 bodies unchanged since the last build: not prepared again" in log, log
    assert "Compared every translation with its original as readers see them in" in log
    assert "(1 keys)" in log, log
    assert 'href="../../en/news/"' in page.read_text(encoding="utf-8")

    clean, _ = build(tmp_path / "clean", files, tmp_path / "fresh")
    assert added == clean
    for name in ("en/notes/index.html", "en/news/index.html", "it/news/index.html", "en/index.html"):
        assert (tmp_path / "site" / "output" / name).read_bytes() == (
            tmp_path / "clean" / "output" / name
        ).read_bytes()
