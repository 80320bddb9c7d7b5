"""Settings for publishing: strict, with absolute URLs for canonical links and the sitemap.

Used by ``invoke publish`` (and CI checks): every problem in the report fails
the build (contract §2, §6).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PRESS_SITEURL", "https://press.example.org")
PRESS_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
