"""A test plugin that rewrites every written HTML page, as a minifier would."""

from pelican import signals

MARK = "<!-- rewritten by a test plugin -->\n"


def rewrite(path, context):
    if not path.endswith(".html"):
        return
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace("\n\n", "\n") + MARK)


def register():
    signals.content_written.connect(rewrite)
