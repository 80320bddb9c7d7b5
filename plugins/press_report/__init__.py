"""press_report: writes the problem report of every build and, in strict mode, fails it."""

from pelican import signals

from .report import finish_build


def register():
    signals.finalized.connect(finish_build)
