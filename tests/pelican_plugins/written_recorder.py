"""A test plugin: records every ``content_written`` path (and the page's output_file).

Each line of the file named by the setting ``RECORD_WRITTEN_TO`` is
``<absolute path>\\t<output_file>``.
"""

from pelican import signals


def record(path, context):
    with open(context["RECORD_WRITTEN_TO"], "a", encoding="utf-8") as handle:
        handle.write(f"{path}\t{context.get('output_file', '')}\n")


def register():
    signals.content_written.connect(record)
