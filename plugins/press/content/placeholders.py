"""The ``invoke new`` template's placeholder text, and the check that none of it is published.

``invoke new`` writes an original whose body is :data:`BODY` and whose Summary and Share
repeat the title: enough to build at once, never meant for readers. Any version still
holding that text is a ``placeholder`` problem, which fails the publishing build.
"""

from __future__ import annotations

from press.content import intake
from press.problems import ProblemCollector

#: The body ``invoke new`` writes (workflow.new_article).
BODY = "Write the article here, in Markdown."
# Each word of BODY is in any text that holds BODY, its spaces aside: a quick look first
# (every version is checked on every build), the rarest word first.
_BODY_WORDS = tuple(reversed(BODY.split()))
#: The headers ``invoke new`` fills with the title, and what each should say instead.
TITLE_COPIES = {
    "summary": "a sentence or two telling the reader what the article says",
    "share": "the caption to share the article with",
}


def _bare(text: str) -> str:
    return " ".join(text.split()).rstrip(".").strip()


def check_tree(tree, problems: ProblemCollector) -> None:
    """A ``placeholder`` problem for every version still holding the template's text.

    Drafts (``Status: draft``) are left alone: they are not published.
    """
    for group in tree.groups.values():
        if intake.draft_key(group, tree.languages):
            continue
        for version in group.versions.values():
            if not intake.is_draft(version):
                check_version(version, problems)


def check_version(version, problems: ProblemCollector) -> None:
    """The template's body, or a Summary or Share that is the title itself."""
    source = version.source
    body = source.body
    if all(word in body for word in _BODY_WORDS) and BODY in " ".join(body.split()):
        problems.add_for(
            "placeholder",
            version,
            f"the body is still the placeholder {BODY!r} that invoke new wrote: write the article "
            "in its place.",
        )
    title = _bare(version.title)
    for name, instead in TITLE_COPIES.items():
        header = source.headers.get(name)
        value = source.value(name)
        if not title or not value or _bare(value) != title:
            continue
        line = f"line {header.line}: " if getattr(header, "line", None) else ""
        problems.add_for(
            "placeholder",
            version,
            f"{line}{name.title()} is the title itself ({value.strip()!r}), as invoke new wrote it: "
            f"write {instead}, or remove the header.",
        )
