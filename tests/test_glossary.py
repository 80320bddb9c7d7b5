"""The paper's fixed terms (issue 17, contract §3): content/glossary.toml and `terminology` problems."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sitebuild import PROJECT, article, translation, write_tree

from press.content.tree import scan_tree
from press.problems import ProblemCollector
from press.translation import glossary, po

GLOSSARY = """\
[glossary.central-organ]
en = ["central organ", "central organs"]
it = ["organo centrale", "organi centrali"]
zh = "中央机关报"

[glossary.party]
en = "party"
it = ["partito", "partiti"]
"""


def original(body: str, **headers) -> str:
    return article("A Story", body, date="2026-02-01", category="Strikes", **headers)


def check(files: dict[str, str], languages=("en", "it", "zh"), text: str = GLOSSARY):
    def run(root):
        write_tree(root, {"glossary.toml": text, **files})
        problems = ProblemCollector()
        tree = scan_tree(str(root), list(languages), problems)
        glossary.check_tree(tree, str(root), list(languages), problems)
        return problems.report()["problems"]

    return run


@pytest.fixture
def problems_for(tmp_path):
    def run(files, languages=("en", "it", "zh"), text=GLOSSARY):
        return check(files, languages, text)(tmp_path / "content")

    return run


def pair(english_body: str, italian_body: str, **italian_headers) -> dict[str, str]:
    english = original(english_body)
    return {
        "articles/story/en.md": english,
        "articles/story/it.md": translation(english, "en", "Una storia", italian_body, **italian_headers),
    }


def test_a_term_used_and_respected_is_no_problem(problems_for):
    assert problems_for(pair("The Central Organ speaks.\n", "L'organo centrale parla.\n")) == []


def test_a_term_used_and_not_respected_is_a_terminology_problem(problems_for):
    problems = problems_for(pair("The central organ speaks.\n", "Il giornale centrale parla.\n"))
    assert [(p["kind"], p["key"], p["lang"], p["path"]) for p in problems] == [
        ("terminology", "story", "it", "articles/story/it.md")
    ]
    message = problems[0]["message"]
    assert "'central-organ'" in message and '"organo centrale", "organi centrali"' in message


def test_a_plural_or_alternative_phrase_is_accepted_in_any_field(problems_for):
    assert problems_for(pair("Two central organs.\n", "Il testo.\n", summary="Gli organi centrali.")) == []


def test_a_term_inside_a_longer_word_or_a_link_is_not_matched(problems_for):
    body = "A counterparty and a third-party script; see [here](../central organ/en.md).\n"
    assert problems_for(pair(body, "Una controparte e uno script di terzi; vedi [qui](../x/it.md).\n")) == []


def test_a_phrase_in_a_script_without_spaces_matches_anywhere(problems_for):
    chinese = article("故事", "我们的中央机关报属于全党。\n", date="2026-02-01", category="Strikes")
    files = {
        "articles/story/zh.md": chinese,
        "articles/story/en.md": translation(chinese, "zh", "A Story", "Our paper belongs to all.\n"),
        "articles/story/it.md": translation(chinese, "zh", "Una storia", "Il nostro organo centrale.\n"),
    }
    problems = problems_for(files)
    assert [(p["kind"], p["lang"]) for p in problems] == [("terminology", "en")]
    assert '"central organ", "central organs"' in problems[0]["message"]


def test_invalid_glossary_entries_name_the_file_and_the_entry(problems_for):
    text = GLOSSARY + '\n[glossary.union]\nen = "union"\nxx = "unione"\n'
    text += '\n[glossary.class]\nen = ""\nit = []\n'
    problems = problems_for({}, text=text)
    assert {(p["kind"], p["key"], p["path"]) for p in problems} == {
        ("invalid-metadata", "union", "glossary.toml"),
        ("invalid-metadata", "class", "glossary.toml"),
    }
    messages = " ".join(p["message"] for p in problems)
    assert "[glossary.union]: 'xx' is not a language of this press" in messages
    assert "[glossary.class] en: an empty phrase" in messages
    broken = problems_for({}, text="[glossary.x\n")
    assert [(p["kind"], p["path"]) for p in broken] == [("invalid-metadata", "glossary.toml")]
    assert "not valid TOML" in broken[0]["message"]


def test_every_build_checks_the_glossary_and_reports_terminology(build_site):
    files = {"glossary.toml": GLOSSARY + '\n[glossary.bad]\nen = " "\n'}
    files.update(pair("The party.\n", "Il giornale.\n"))
    built = build_site(files, languages=["en", "it"])
    assert ("terminology", "story", "it", "articles/story/it.md") in built.entries("terminology")
    assert ("invalid-metadata", "bad", "*", "glossary.toml") in built.entries("invalid-metadata")
    strict = build_site(files, languages=["en", "it"], strict=True, name="strict")
    assert strict.returncode != 0


def test_po_files_list_the_terms_of_each_segment(tmp_path):
    content = tmp_path / "content"
    files = pair("The central organ.\n\nNothing here.\n", "X.\n\nY.\n")
    write_tree(content, {"glossary.toml": GLOSSARY, **files})
    tree = scan_tree(str(content), ["en", "it"], ProblemCollector())
    terms = glossary.load(str(content), ["en", "it"])
    path = po.export(tree, str(content), str(tmp_path / "po"), "articles", "story", "it", glossary=terms).path
    found = {m.id: m.auto_comments for m in po.read_catalog(path) if m.id}
    assert 'glossary: "central organ" = it: organo centrale / organi centrali' in found["The central organ."]
    assert not any(c.startswith("glossary:") for c in found["Nothing here."])


def test_the_sample_glossary_holds_every_edition_to_the_papers_terms():
    terms = glossary.load(str(PROJECT / "content"), ["en", "it", "sv", "fa"])
    assert terms.errors == []
    assert {"central-organ", "party", "proletariat"} <= set(terms.terms)
    for term in terms.terms.values():
        assert set(term.phrases) == {"en", "it", "sv", "fa"}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(PROJECT), "glossary", "--lang", "it"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "  it: organo centrale / organi centrali" in result.stdout
    assert "articles/why-a-central-organ/it.md" in result.stdout
