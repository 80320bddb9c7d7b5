"""Issue 12 through real builds: the reader's parity gate, terms in every language,
editions being prepared, listing summaries, heading ids and a readable report."""

from __future__ import annotations

import re

from sitebuild import article, terms_toml, translation

LINKS = " ".join(f"[source {n}](https://example.org/docs/{n})" for n in range(1, 31))
BODY = f"""
## The dockers' line

The dockers of the port held the line for nine days against the company, and the
whole city came to know their demands: {LINKS}.

- no dismissals
- the old shifts back

> Nobody unloads a ship while the picket stands.
"""
IT_LINKS = " ".join(f"[fonte {n}](https://example.org/docs/{n})" for n in range(1, 31))
IT_BODY = f"""
## La linea dei portuali

I portuali del porto hanno tenuto la linea per nove giorni contro la compagnia, e tutta la città
ha conosciuto le loro richieste: {IT_LINKS}.

- nessun licenziamento
- i vecchi turni di nuovo

> Nessuno scarica una nave finché il picchetto resta.
"""
ORIGINAL = article(
    "The dockers hold the line", BODY, date="2026-02-01", category="Strikes", tags="docks, strikes"
)


def pair(body: str, title: str = "I portuali tengono la linea", lang: str = "it") -> dict[str, str]:
    return {
        "articles/dockers/en.md": ORIGINAL,
        f"articles/dockers/{lang}.md": translation(ORIGINAL, "en", title, body),
    }


def test_a_translation_that_only_rewraps_lines_has_no_problem(build_site):
    rewrapped = IT_BODY.replace(", e tutta la città", ",\ne tutta\nla città").replace(
        " [fonte 7]", "\n[fonte 7]"
    )
    built = build_site(pair(rewrapped), languages=["en", "it"], strict=True)
    assert built.problems() == [], built.report
    assert built.returncode == 0


def test_a_dropped_link_destination_is_named(build_site):
    dropped = IT_BODY.replace("[fonte 17](https://example.org/docs/17)", "fonte 17")
    built = build_site(pair(dropped), languages=["en", "it"])
    (problem,) = built.problems("incomplete")
    assert problem["path"] == "articles/dockers/it.md"
    assert "lacks the links to https://example.org/docs/17 (1 of 30)" in problem["message"]


def test_a_cjk_translation_of_normal_length_has_no_problem(build_site):
    zh_links = "、".join(f"[来源 {n}](https://example.org/docs/{n})" for n in range(1, 31))
    zh_body = f"""
## 码头工人的防线

港口的码头工人顶住了公司的压力，坚持了九天，整个城市都知道了他们的要求：{zh_links}。

- 不许解雇
- 恢复原来的班次

> 纠察线还在，就没有人卸船。
"""
    built = build_site(pair(zh_body, "码头工人守住防线", "zh"), languages=["en", "zh"])
    assert built.problems("incomplete") == [] and built.problems("untranslated") == [], built.report


def test_a_verbatim_copy_is_untranslated(build_site):
    built = build_site(pair(BODY, title="The dockers hold the line"), languages=["en", "it"], strict=True)
    (problem,) = built.problems("untranslated")
    assert "its body is still the original's text" in problem["message"]
    assert "its title is the original's title unchanged" in problem["message"]
    assert built.problems("incomplete") == []  # a copy lacks nothing: it is not translated
    assert built.returncode == 1


def test_a_translated_tag_and_section_on_every_edition(build_site):
    files = {
        **pair(IT_BODY),
        "articles/scuola/it.md": article(
            "Sciopero nella scuola", "Testo.\n", date="2026-02-02", category="Scioperi", tags="scuole"
        ),
    }
    built = build_site(files, languages=["en", "it", "fa"], strict=False)
    assert built.problems("invalid-metadata") == [], built.report
    italian = built.page("it/dockers/index.html")
    assert 'href="../../it/tag/porti/"' in italian and ">porti<" in italian
    assert 'href="../../it/section/scioperi/"' in italian
    english = built.page("en/dockers/index.html")
    assert 'href="../../en/tag/docks/"' in english and ">docks<" in english
    # no fa version: the fa edition lists it in English, under its Persian tag and section names
    assert "بنادر" in built.page("fa/tag/بنادر/index.html")
    assert "اعتصاب‌ها" in built.page("fa/index.html")
    for page in ("it/tag/porti/index.html", "en/tag/docks/index.html", "fa/tag/بنادر/index.html"):
        assert built.exists(page), page
    tag_page = built.page("it/tag/porti/index.html")
    assert 'hreflang="en"' in tag_page and "en/tag/docks/" in tag_page
    # an Italian original naming terms by their Italian names: one section, one tag page per edition
    assert built.exists("en/tag/schools/index.html") and built.exists("it/tag/scuole/index.html")
    assert not built.exists("en/tag/scuole/index.html")


def test_sections_follow_the_order_of_terms_toml(build_site):
    files = {
        "terms.toml": terms_toml(),  # strikes, party-press, security-online, news, translation
        "articles/a/en.md": article("A", date="2026-01-01", category="Translation"),
        "articles/b/en.md": article("B", date="2026-01-02", category="Strikes"),
        "articles/c/en.md": article("C", date="2026-01-03", category="news"),
    }
    built = build_site(files, languages=["en"])
    menu = re.search(r'<nav class="sections".*?</nav>', built.page("en/index.html"), re.S).group(0)
    assert re.findall(r">(Strikes|News|Translation)<", menu) == ["Strikes", "News", "Translation"]


def test_unknown_untranslated_and_colliding_terms(build_site):
    terms = terms_toml(
        sections={"strikes": ("Strikes", "Scioperi")},
        tags={"docks": ("docks",), "ports": ("Docks", "porti")},
    )
    files = {
        "terms.toml": terms,
        "articles/x/en.md": article("X", date="2026-01-01", category="Strikes", tags="docks, harbours"),
    }
    built = build_site(files, languages=["en", "it"])
    messages = {(p["kind"], p["path"]): p["message"] for p in built.problems()}
    assert "'harbours'" in messages[("invalid-metadata", "articles/x/en.md")]
    assert ("untranslated-term", "terms.toml") in messages
    assert "[tags.docks]" in messages[("untranslated-term", "terms.toml")]
    collision = [p for p in built.problems("invalid-metadata") if p["path"] == "terms.toml"]
    assert collision and "en/tag/docks/" in collision[0]["message"]


def test_an_edition_being_prepared(build_site):
    files = {
        "articles/dockers/en.md": ORIGINAL,
        "articles/dockers/it.md": translation(ORIGINAL, "en", "I portuali tengono la linea", IT_BODY),
        "articles/other/en.md": article(
            "Other", BODY.replace("nine", "ten"), date="2026-01-05", category="Strikes"
        ),
        "articles/other/it.md": translation(
            article("Other", BODY.replace("nine", "ten"), date="2026-01-05", category="Strikes"),
            "en",
            "Altro",
            IT_BODY.replace("nove", "dieci"),
        ),
        "articles/dockers/de.md": translation(ORIGINAL, "en", "Die Hafenarbeiter halten stand", BODY),
    }
    dev = build_site(files, languages=["en", "it"], PRESS_PREPARING=["de"], name="dev")
    assert dev.exists("de/dockers/index.html") and dev.exists("de/index.html")
    assert "preview-banner" in dev.page("de/dockers/index.html")
    assert "preview-banner" not in dev.page("en/dockers/index.html")
    assert dev.problems("missing") == []  # de/other is missing: a preview's gaps are not problems
    assert {p["path"] for p in dev.problems("untranslated")} == {"articles/dockers/de.md"}
    assert "/de/" not in dev.page("sitemap.xml")

    publish = build_site(files, languages=["en", "it"], PRESS_PREPARING=["de"], strict=True, name="publish")
    assert publish.returncode == 0, publish.log
    assert publish.problems() == []
    assert not publish.exists("de/index.html") and not publish.exists("de/dockers/index.html")
    page = publish.page("en/dockers/index.html")
    assert 'hreflang="de"' not in page and "Deutsch" not in page


def test_listing_summaries_link_from_the_listing_and_repeat_no_ids(build_site):
    files = {
        "articles/first/en.md": article(
            "First",
            "## Same heading\n\nText[^1] with a [link]({filename}../second/en.md).\n\n[^1]: A note.\n",
            date="2026-01-01",
            category="Strikes",
        ),
        "articles/second/en.md": article(
            "Second",
            "## Same heading\n\nMore text.\n\n## Same heading\n\nAgain.\n",
            date="2026-01-02",
            category="Strikes",
            summary="See [the first]({filename}../first/en.md) article.",
        ),
    }
    built = build_site(files, languages=["en"])
    for page in ("en/index.html", "en/section/strikes/index.html", "en/archive/index.html"):
        html = built.page(page)
        assert "{filename}" not in html
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (page, ids)
    front = built.page("en/index.html")
    assert 'href="../en/first/"' in front
    assert 'href="../../../en/first/"' in built.page("en/section/strikes/index.html")
    second = built.page("en/second/index.html")
    assert '<h2 id="same-heading">' in second and '<h2 id="same-heading-2">' in second


def test_the_log_counts_problems_and_shows_the_first_of_each_kind(build_site):
    files = {f"articles/lonely-{n}/en.md": article(f"Lonely {n}", date="2026-01-01") for n in range(12)}
    built = build_site(files, languages=["en", "it"])
    assert len(built.problems("missing")) == 12
    assert "missing: 12 (it 12)" in built.log
    assert "… and 7 more missing problem(s)" in built.log
    assert "invoke status" in built.log
    shown = [line for line in built.log.splitlines() if "articles/lonely-" in line and "it.md:" in line]
    assert len(shown) == 5
    # one problem, one line: never wrapped when the log is not a terminal
    assert all("invoke translate" in line for line in shown), shown


def test_a_deleted_paragraph_is_quoted_in_the_report_in_every_script(build_site):
    """Issue 22 through a real build: en -> fa, zh and ar, one paragraph of 40+ words left out."""
    english = [
        "The dockers of the port held the line for nine days against the company and its lawyers, "
        "and the whole city came to know their demands, because the paper printed them every morning.",
        "Strike funds are built in quiet times, month after month, by the dues of every member of the "
        "branch, so that nobody has to choose between the picket line and the rent when the day comes "
        "and the company refuses to talk.",
        "On day 10 the company gave in: the contracts were signed in the hall of the union at 11 in the "
        "morning (in front of everyone who had stood at the gates) and the old shifts came back.",
    ]
    translations = {
        "fa": [
            "کارگران بندر نه روز در برابر شرکت و وکلایش ایستادگی کردند و همه شهر خواسته‌های آنان را "
            "شناختند، چون روزنامه هر صبح آن‌ها را چاپ می‌کرد.",
            "صندوق‌های اعتصاب در روزهای آرام ساخته می‌شوند، ماه به ماه، با حق عضویت همه اعضای شاخه، "
            "تا هیچ‌کس مجبور نباشد میان صف اعتصاب و اجاره خانه یکی را برگزیند، آن روز که شرکت از "
            "گفتگو سر باز می‌زند.",
            "در روز ۱۰ شرکت کوتاه آمد: قراردادها ساعت ۱۱ صبح در سالن اتحادیه امضا شد (در برابر همه "
            "کسانی که کنار دروازه‌ها ایستاده بودند) و شیفت‌های قدیمی برگشت.",
        ],
        "zh": [
            "港口工人顶住了公司及其律师的压力，坚持了九天，全城都知道了他们的要求，因为报纸每天早上都刊登这些要求。",
            "罢工基金是在平静的时期建立起来的，一个月又一个月，靠支部每个成员的会费积累，"
            "这样当公司拒绝谈判的那一天到来时，没有人必须在纠察线和房租之间做出选择。",
            "第 10 天公司让步了：合同于上午 11 点在工会大厅签署"
            "（当着所有曾站在大门口的人的面），旧的班次恢复了。",
        ],
        "ar": [
            "صمد عمال الميناء تسعة أيام في وجه الشركة ومحاميها، وعرفت المدينة كلها مطالبهم، لأن الجريدة "
            "كانت تنشرها كل صباح.",
            "تُبنى صناديق الإضراب في الأوقات الهادئة، شهرًا بعد شهر، من اشتراكات كل عضو في الفرع، حتى "
            "لا يضطر أحد إلى الاختيار بين خط الاعتصام والإيجار حين يأتي اليوم الذي ترفض فيه الشركة الحوار.",
            "في اليوم 10 تراجعت الشركة: وُقّعت العقود في قاعة النقابة في الساعة 11 صباحًا (أمام كل من وقف "
            "عند البوابات) وعادت المناوبات القديمة.",
        ],
    }
    original = article("The dockers hold the line", "\n\n".join(english) + "\n", date="2026-02-01")
    files = {"articles/dockers/en.md": original}
    for lang, paragraphs in translations.items():
        body = "\n\n".join(paragraphs[:1] + paragraphs[2:]) + "\n"
        files[f"articles/dockers/{lang}.md"] = translation(original, "en", f"Title {lang}", body)
    built = build_site(files, languages=["en", "fa", "zh", "ar"])
    problems = {p["lang"]: p["message"] for p in built.problems("incomplete")}
    assert set(problems) == {"fa", "zh", "ar"}, built.report
    for message in problems.values():
        assert "lacks paragraph 2 of 3, which begins 'Strike funds are built in quiet times" in message
