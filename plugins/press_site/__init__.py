"""press_site: writes every language's site (front pages, sections, articles, issues, feeds) in one pass."""

from pelican import signals

from .generator import PressSiteGenerator


def get_generators(_pelican):
    return PressSiteGenerator


def register():
    signals.get_generators.connect(get_generators)
