"""press_sitemap: sitemap.xml (every page with its language versions) and robots.txt."""

from pelican import signals

from .sitemap import write_sitemap


def register():
    signals.finalized.connect(write_sitemap)
