"""Importers: an existing site (WordPress, Hugo, Jekyll, Pelican) into a content folder (contract §1, §7).

Each source kind has its own module that reads the source into :class:`~.writer.Entry` objects
(one per translation key, one :class:`~.writer.Version` per language); :mod:`.writer` plans the
content folder (keys, terms, attachments, ``Translation-Of`` stamps) and writes it only when the
whole source has been read without a refusal, so that a hostile source leaves nothing behind.
:mod:`.skeleton` writes a new paper's folder (``invoke init``). docs/importing.md is the user's
guide; nothing here imports Pelican.
"""

from __future__ import annotations

from press.importers.writer import MAX_BODY_BYTES, ImportRefused, ImportReport

__all__ = ["MAX_BODY_BYTES", "ImportRefused", "ImportReport", "run_import"]


def run_import(kind: str, source: str, target: str, **options) -> ImportReport:
    """Import ``source`` (a file or folder of the given kind) into the content folder ``target``."""
    import importlib

    modules = {"wordpress": "wordpress", "hugo": "hugo", "jekyll": "jekyll", "pelican": "pelican_site"}
    module = importlib.import_module(f".{modules[kind]}", __name__)
    return getattr(module, f"import_{kind}")(source, target, **options)
