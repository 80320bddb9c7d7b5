"""The booklet PDF: A5 pages padded to a multiple of 4, imposed two to a side of an A4 sheet in booklet order.

Read back with poppler's ``pdftotext -bbox``: every side of a sheet is A4 landscape, each half of it
carries one A5 page whose folio (its number, in the language's digits) says which page it is, and the
halves follow :func:`press.printed.print_edition.booklet_order`.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from editions_site import edition_settings, edition_tree, words_by_page
from sitebuild import build_module_site

from press.printed.print_edition import booklet_order

DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def test_booklet_order_puts_the_pages_of_each_folded_sheet_together():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert booklet_order(8, right_to_left=True) == [(0, 7), (6, 1), (2, 5), (4, 3)]
    for count in (4, 8, 12, 40):
        sides = booklet_order(count)
        assert len(sides) == count // 2
        assert sorted(page for side in sides for page in side) == list(range(count))
        # facing halves of one side always add up to the last page: the sheet folds in the middle
        assert all(left + right == count - 1 for left, right in sides)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("booklet")
    return build_module_site(root, edition_tree(paragraphs=8), overrides=edition_settings(root))


def folio(words, left: float, right: float, height: float) -> int | None:
    """The page number printed at the foot of the half between ``left`` and ``right``."""
    foot = [
        text.translate(DIGITS)
        for x0, y0, x1, _y1, text in words
        if y0 > height - 45 and x0 >= left and x1 <= right
    ]
    numbers = [int(text) for text in foot if text.isdigit()]
    return numbers[0] if numbers else None


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_booklet_is_a4_sheets_two_pages_a_side_in_booklet_order(site, lang):
    pages = words_by_page(site.output / f"{lang}/issues/cl-9/cl-9-{lang}-booklet.pdf")
    count = 2 * len(pages)  # A5 pages before imposing
    assert count % 4 == 0 and count >= (8 if lang == "en" else 4), count
    expected = booklet_order(count, right_to_left=lang == "fa")
    for side, (width, height, words) in enumerate(pages):
        assert abs(width - 841.9) < 3 and abs(height - 595.3) < 1, (width, height)  # A4 landscape
        halves = [(0, width / 2), (width / 2, width)]
        found = [folio(words, left, right, height) for left, right in halves]
        wanted = [page + 1 for page in expected[side]]
        # the front page carries no folio; every other page says where it is
        assert found == [None if number == 1 else number for number in wanted], (side, found, wanted)
        for left, right in halves:  # padding is the contents, a notes page or a notice: never blank
            assert len([w for w in words if w[0] >= left and w[2] <= right]) >= 3, (side, left)


def filler_kind(text: str) -> str | None:
    if text.startswith("IN THIS ISSUE") or " IN THIS ISSUE " in f" {text.upper()} ":
        return "contents"
    if "Notes" in text.split():
        return "notes"
    return "notice" if "pass it on" in text else None


def test_booklet_pads_with_the_contents_a_notes_page_and_a_notice(site):
    """The English booklet's last pages are padding: the contents, then notes, then a notice."""
    pages = words_by_page(site.output / "en/issues/cl-9/cl-9-en-booklet.pdf")
    count = 2 * len(pages)
    halves = {}
    for side, (width, _height, words) in enumerate(pages):
        for position, page in enumerate(booklet_order(count)[side]):
            left = position * width / 2
            halves[page] = " ".join(w[4] for w in words if w[0] >= left and w[2] <= left + width / 2)
    kinds = [filler_kind(halves[page]) for page in range(count)]
    assert kinds[0] == "contents", kinds  # the front page's contents box
    padding = [kind for kind in kinds[1:] if kind]
    assert padding and padding == ["contents", "notes", "notice"][: len(padding)], kinds
    assert kinds[-len(padding) :] == padding, kinds
    assert "Dockworkers" in halves[count - len(padding)], halves[count - len(padding)]


@pytest.mark.parametrize("lang", ["en", "it"])
def test_a_long_lead_continues_on_the_page_the_front_page_names(site, lang):
    text = subprocess.run(
        ["pdftotext", str(site.output / f"{lang}/issues/cl-9/cl-9-{lang}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    on, since = {
        "en": ("Continued on page", "Continued from page 1"),
        "it": ("Continua a pagina", "Segue da pagina 1"),
    }[lang]
    jump = re.search(rf"{on} (\d+)", pages[0])
    assert jump, pages[0]
    assert since in pages[int(jump.group(1)) - 1]
