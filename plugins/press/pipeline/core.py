"""Start-up: settings checked once, the tree read once per run."""

from __future__ import annotations

import gc
import logging
import os
import sys

from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG

from press import build
from press.content.tree import SOURCE_SUFFIX
from press.files import is_inside
from press.html.security import meta_content_security_policy
from press.pelican_mechanics import PELICAN_MECHANICS, overridden_settings
from press.pipeline.carried import CarriedScan, CarriedThemeMessages
from press.pipeline.intake import autoreloading
from press.pipeline.report import write_stopped_report
from press.pipeline.session import current_session
from press.settings import SettingsError, validate

logger = logging.getLogger(__name__)


def apply_settings(pelican) -> None:
    """Validate the press settings and force the Pelican settings the press needs."""
    try:
        validate(pelican.settings)
    except SettingsError as error:
        logger.error("%s (in the settings file or a -e override)", error)
        write_stopped_report(pelican.settings, f"{error} (in the settings file or a -e override)")
        sys.exit(2)
    for name, value, forced in overridden_settings(pelican.settings, DEFAULT_CONFIG):
        logger.warning(
            "The press replaces %s = %r with %r; remove it from the settings file "
            "(press/pelican_mechanics.py says why)",
            name,
            value,
            forced,
        )
    for name, value in PELICAN_MECHANICS.items():
        pelican.settings[name] = value
    if pelican.settings.get("PRESS_EDITIONS") and autoreloading():
        # The preview rebuilds on every save: an editor waits for pages, not for PDFs
        # (a plain build, or invoke editions, makes them).
        logger.info("The preview leaves the printed editions out: a build without --autoreload makes them")
        pelican.settings["PRESS_EDITIONS"] = False
    # Only folders that exist: Pelican's autoreload warns about every other one,
    # and it watches the whole content folder anyway.
    content = pelican.settings.get("PATH") or ""
    pelican.settings["STATIC_PATHS"] = [
        folder for folder in PELICAN_MECHANICS["STATIC_PATHS"] if os.path.isdir(os.path.join(content, folder))
    ]


def add_template_globals(pelican) -> None:
    """Offer the theme what every page states (``initialized``): its Content-Security-Policy."""
    settings = pelican.settings
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "content_security_policy": Markup(meta_content_security_policy()),
    }


def start_build(pelican) -> None:
    """Read and check the whole tree at the start of every run (autoreload too)."""
    session = current_session()
    try:
        current = build.begin(pelican.settings)
        # No automatic collection while the run reads: what it reads lives until its end, and
        # the collector's full passes walked all of it again and again as it grew (a fifth of
        # a rebuild at 5000 x 6, more the larger the archive). The pages are written with it
        # on again (site.generator), the run's reading frozen; intake.guarded restores it.
        current.collecting = gc.isenabled()
        gc.disable()
        # the preview reads again only the files changed since its last run; a new
        # process, only those changed since the previous process's scan
        carried = None
        parsed_files = session.parsed_files if session is not None else None
        if parsed_files is None:
            carried = CarriedScan(current, pelican.settings)
            parsed_files = carried.parsed_files()
        # the preview's process keeps the theme's messages in memory (press.paper.i18n)
        messages = CarriedThemeMessages(current, pelican.settings) if session is None else None
        current.check(parsed_files, messages.messages() if messages is not None else None)
        if carried is not None:
            carried.save(current.tree.parsed)
        if messages is not None:
            messages.save()
    except SettingsError as error:
        logger.error("%s", error)
        write_stopped_report(pelican.settings, str(error))
        sys.exit(2)


def keep_only_attachments(generator) -> None:
    """Copy attachments only: what the scan accepted, nothing else (contract §1).

    Not a source file, not a file the scan rejected, not a file a link named
    from outside the content folder, and never to a path outside the output.
    """
    tree = build.of(generator.settings).tree
    output = os.path.realpath(generator.output_path)
    kept = [
        static
        for static in generator.staticfiles
        if not static.source_path.endswith(SOURCE_SUFFIX)
        and _relative(static, generator.path) in tree.published_files
        and is_inside(output, os.path.realpath(os.path.join(output, static.save_as)))
    ]
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept
    build.of(generator.settings).attachment_files = {static.save_as.replace(os.sep, "/") for static in kept}


def _relative(static, root: str) -> str:
    return os.path.relpath(static.source_path, root).replace(os.sep, "/")
