"""press_core: validates the press's settings and starts each build's shared state."""

from pelican import signals

from .core import apply_settings, start_build


def register():
    signals.initialized.connect(apply_settings)
    signals.get_generators.connect(start_build)
