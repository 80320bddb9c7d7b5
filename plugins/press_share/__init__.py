"""press_share: what the theme needs for sharing (Open Graph locales, absolute URLs)."""

from pelican import signals

from .share import add_template_filters


def register():
    signals.initialized.connect(add_template_filters)
