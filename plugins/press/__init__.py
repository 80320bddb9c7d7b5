"""The central press: one Pelican plugin that builds every language's edition in one pass.

List it in ``PLUGINS = ["press"]`` once the package is installed (``pip install .``).
The domain modules beside this file (tree, headers, parity, editions, frontpage,
problems, settings, …) know nothing of Pelican; the steps in ``press.pipeline``
connect them to Pelican's signals, in the order :func:`register` lists.
"""

from pelican import signals


def site_generator(_pelican):
    """The one generator that writes every language's pages (``get_generators``)."""
    from .pipeline.site.generator import PressSiteGenerator

    return PressSiteGenerator


def register():
    """Connect every step of a build, in the order a build runs them."""
    from .pipeline import core, images, intake, reader, report, search, session, share, sitemap

    # Start-up: settings validated once, then the template filters.
    signals.initialized.connect(core.apply_settings)
    signals.initialized.connect(intake.guard_build)
    signals.initialized.connect(share.add_template_filters)
    # Each run: the tree read and checked, then Pelican reads each version once.
    signals.get_generators.connect(core.start_build)
    signals.get_generators.connect(intake.check_term_slugs)
    signals.get_generators.connect(site_generator)
    # The preview (--autoreload) keeps unchanged content objects between runs.
    signals.get_generators.connect(session.begin_run)
    signals.article_generator_init.connect(session.attach_to_generator)
    signals.page_generator_init.connect(session.attach_to_generator)
    signals.generator_init.connect(session.share_compiled_templates)
    signals.readers_init.connect(reader.add_reader)
    signals.article_generator_init.connect(reader.prewarm_render_cache)
    signals.static_generator_finalized.connect(core.keep_only_attachments)
    signals.static_generator_finalized.connect(images.remember_static_images)
    signals.all_generators_finalized.connect(reader.save_render_cache)
    # After writing: images cleaned, sitemap, search, then the report and the strict gate.
    signals.finalized.connect(images.clean_published_images)
    signals.finalized.connect(sitemap.write_sitemap)
    signals.finalized.connect(search.index_site)
    signals.finalized.connect(session.end_run)
    signals.finalized.connect(report.finish_build)
    signals.initialized.connect(images.arm_strict_gate)
    signals.initialized.connect(search.arm_strict_gate)
