"""The central press: one Pelican plugin that builds every language's edition in one pass.

List it in ``PLUGINS = ["press"]`` once the package is installed (``pip install .``).
The domain modules beside this file (tree, headers, parity, editions, frontpage,
problems, settings, …) know nothing of Pelican; the steps in ``press.pipeline``
connect them to Pelican's signals, in the order :func:`register` lists.
docs/architecture.md walks through a build step by step.
"""

from pelican import signals


def site_generator(_pelican):
    """The one generator that writes every language's pages (``get_generators``)."""
    from press.pipeline.site.generator import PressSiteGenerator

    return PressSiteGenerator


def register():
    """Connect every step of a build, in the order a build runs them.

    Receivers of one signal run in the order they are connected here.  A run
    (one ``pelican`` call, or one rebuild of ``--autoreload``) goes:

    1. ``initialized`` (once per Pelican instance): check the press settings and
       force the Pelican settings it relies on, saying which ones the user had
       set otherwise; guard every run, so that a failure inside still writes the
       report (an ``internal-error``); offer the theme its filters and globals.
    2. ``get_generators`` (every run): start the run's :class:`press.build.Build`,
       which scans and checks the whole tree (problems go to its collector);
       check the terms' slugs; add the press's site generator.
    3. Pelican's readers: the press's Markdown reader, for the versions the scan
       listed; before Pelican reads them, every body is rendered, compared with
       its original and prepared on every core (``press.parallel``); the static
       generator keeps only attachments and notes the images it copies.
    4. Pelican writes: the site generator renders each language's pages (on
       every core), sends ``content_written`` for each file it wrote, and hands
       each finished edition to Pagefind, which indexes it in a child process
       while the next edition is rendered (no thread runs when workers fork).
    5. ``finalized``: the copied images cleaned of metadata, the sitemap, the
       search index waited for, and in publishing builds the print and e-book
       editions (``printed``); each records its failures as problems of the build.
    6. ``finalized``, last: the report, then the one strict gate.
    """
    from press.pipeline import (
        core,
        images,
        intake,
        pelican_seams,
        printed,
        reader,
        report,
        search,
        session,
        share,
        sitemap,
    )

    # 1. Start-up: settings validated once, then what the templates are offered.
    signals.initialized.connect(report.unwrap_log_when_not_a_terminal)
    signals.initialized.connect(core.apply_settings)
    signals.initialized.connect(intake.guard_build)
    signals.initialized.connect(share.add_template_filters)
    signals.initialized.connect(core.add_template_globals)
    signals.initialized.connect(printed.add_template_globals)
    # 2. Each run: no thread but the build's from here on (the workers are forked),
    #    the tree read and checked, then the press's generator added.
    signals.get_generators.connect(pelican_seams.stop_status_animation)
    signals.get_generators.connect(core.start_build)
    signals.get_generators.connect(intake.check_term_slugs)
    signals.get_generators.connect(site_generator)
    # The preview (--autoreload) keeps unchanged content objects between runs (pipeline/session.py).
    signals.get_generators.connect(session.begin_run)
    signals.article_generator_init.connect(session.attach_to_generator)
    signals.page_generator_init.connect(session.attach_to_generator)
    # 3. Pelican reads each version once, through the press's reader.
    signals.readers_init.connect(reader.add_reader)
    signals.article_generator_init.connect(reader.list_scanned_versions)
    signals.page_generator_init.connect(reader.list_scanned_versions)
    signals.article_generator_init.connect(reader.prewarm_render_cache)
    signals.static_generator_finalized.connect(core.keep_only_attachments)
    signals.static_generator_finalized.connect(images.remember_static_images)
    signals.all_generators_finalized.connect(reader.save_render_cache)
    signals.all_generators_finalized.connect(printed.remember_site_model)
    # 4. Writing happens in PressSiteGenerator.generate_output (no signal to connect).
    # 5. After writing: images cleaned, the print and e-book editions, sitemap, search;
    #    each records its failures as problems.
    signals.finalized.connect(images.clean_published_images)
    signals.finalized.connect(images.remove_withdrawn_files)
    signals.finalized.connect(printed.write_editions)
    signals.finalized.connect(sitemap.write_sitemap)
    signals.finalized.connect(search.index_site)
    signals.finalized.connect(session.end_run)
    # 6. Last: the report, then the one strict gate.
    signals.finalized.connect(report.finish_build)
