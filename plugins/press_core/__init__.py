"""press_core: validates the press's settings, starts each build's shared state, keeps Pelican to the tree."""

from pelican import signals

from .core import apply_settings, keep_only_attachments, start_build


def register():
    signals.initialized.connect(apply_settings)
    signals.get_generators.connect(start_build)
    signals.static_generator_finalized.connect(keep_only_attachments)
