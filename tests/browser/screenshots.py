"""Screenshots of the browser tests' sample site, for docs/screenshots/ (issue 25).

    .venv/bin/python tests/browser/screenshots.py OUT_DIR [PAGE ...]

Builds the sample site of tests/browser/browser_harness.py in a temporary
folder, serves it on 127.0.0.1 and saves the first viewport of the front page
and of the pictured lead article in en, fa (right to left) and zh (CJK), at
desk (1366 px) and phone (390 px) widths, in Debian's Chromium: the first
viewport, or an article down to its picture's caption when that is lower.  Each PNG is
reduced with Pillow to a 256-colour palette so it stays well under 150 KB.

Extra PAGE arguments (paths such as ``fa/archive/``) are shot too, at both
widths, under names made from the path: for looking at other pages by hand.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # browser_harness, and the tests' sitebuild it imports

from browser_harness import build_site, launch, serve  # noqa: E402

LANGS = ("en", "fa", "zh")
PAGES = {"front": "{lang}/", "article": "{lang}/dock-strike/"}
VIEWPORTS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
DESK_WIDTH = 1024  # desk shots are scaled down to this width; phone shots keep their 390 px
SIZE_LIMIT = 150 * 1024


def small_png(shot: bytes, width: int) -> bytes:
    """The screenshot scaled to ``width`` and quantised to a palette: a small file for the repository."""
    from PIL import Image

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def through_the_caption(page, size: dict) -> dict:
    """Screenshot arguments: the first viewport, or down to the article's picture caption if lower
    (on a phone the picture sits under the title and standfirst, below the first screen)."""
    caption = page.locator(".article-picture figcaption")
    if caption.count() != 1:
        return {}
    caption.scroll_into_view_if_needed()  # a lazy picture loads once near the viewport
    page.wait_for_function("[...document.querySelectorAll('.article-picture img')].every(i => i.complete)")
    page.evaluate("window.scrollTo(0, 0)")
    box = caption.bounding_box()
    if box is None or box["y"] + box["height"] <= size["height"]:
        return {}
    bottom = round(box["y"] + box["height"] + 16)
    return {"full_page": True, "clip": {"x": 0, "y": 0, "width": size["width"], "height": bottom}}


def shots(extra_pages: list[str]) -> list[tuple[str, str, str]]:
    """(file name, page path, viewport name) of every screenshot to take."""
    wanted = []
    for lang in LANGS:
        for page, pattern in PAGES.items():
            for viewport in VIEWPORTS:
                wanted.append((f"{page}-{lang}-{viewport}.png", pattern.format(lang=lang), viewport))
    for path in extra_pages:
        name = path.strip("/").replace("/", "-").replace(".html", "") or "root"
        for viewport in VIEWPORTS:
            wanted.append((f"{name}-{viewport}.png", path.lstrip("/"), viewport))
    return wanted


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="press-screenshots-") as temp:
        site = build_site(Path(temp))
        with serve(site) as base_url, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for name, path, viewport in shots(argv[1:]):
                    size = VIEWPORTS[viewport]
                    context = browser.new_context(viewport=size)
                    page = context.new_page()
                    response = page.goto(base_url + path)
                    if response is None or (not response.ok and "404" not in path):
                        print(f"{path}: HTTP {response and response.status}", file=sys.stderr)
                        return 1
                    page.wait_for_load_state("load")
                    # the lazy pictures of the first viewport have loaded, the fonts are set
                    page.evaluate("document.fonts.ready.then(() => true)")
                    width = DESK_WIDTH if viewport == "desk" else size["width"]
                    data = small_png(page.screenshot(**through_the_caption(page, size)), width)
                    context.close()
                    (out / name).write_bytes(data)
                    flag = "" if len(data) < SIZE_LIMIT else "  (over 150 KB)"
                    print(f"{out / name}: {len(data) // 1024} KB{flag}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
