"""press_reader: reads each language version once, as the tree describes it.

The language and key come from the path, editorial headers from the original,
bodies from the shared render cache (filled on every core), and links to other
articles are pointed at the same language's version.
"""

from pelican import signals

from .reader import add_reader, prewarm_render_cache, save_render_cache


def register():
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(prewarm_render_cache)
    signals.all_generators_finalized.connect(save_render_cache)
