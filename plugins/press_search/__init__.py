"""press_search: a Pagefind search index per language, built over the written site."""

from pelican import signals

from .search import arm_strict_gate, index_site


def register():
    signals.finalized.connect(index_site)
    signals.initialized.connect(arm_strict_gate)
