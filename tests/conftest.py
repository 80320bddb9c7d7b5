"""The tests' fixtures and the property tests' profiles; the helpers are in sitebuild.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings
from sitebuild import FIXED_NOW, Built, build_tree

# CI runs the property tests derandomized (the same examples every run) and
# without per-example deadlines, which a busy 2-core machine would trip.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def build_site(tmp_path):
    """build_site(files, strict=False, languages=None, **settings) -> Built"""

    def build(
        files: dict[str, str | bytes],
        *,
        strict: bool = False,
        languages: list[str] | None = None,
        default_lang: str | None = None,
        settings_file: str = "pelicanconf.py",
        epoch: str | None = FIXED_NOW,
        name: str = "site",
        **settings,
    ) -> Built:
        overrides = dict(settings)
        overrides["PRESS_STRICT"] = strict
        if languages is not None:
            overrides["LANGUAGES"] = languages
        if default_lang is not None:
            overrides["DEFAULT_LANG"] = default_lang
        return build_tree(
            tmp_path / name, files, settings_file=settings_file, overrides=overrides, epoch=epoch
        )

    return build
