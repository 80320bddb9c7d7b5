"""Fixtures of the deploy tests; the fake site itself is in deploy_fakesite.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # the deploy package lives at the project's top
    sys.path.insert(0, str(PROJECT))

from deploy_fakesite import make_site  # noqa: E402


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh, clean fake site in tmp_path/output."""
    return make_site(tmp_path / "output")
