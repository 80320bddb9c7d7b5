"""Settings for publishing: strict, with absolute URLs for canonical links and the sitemap.

Used by ``invoke publish`` (and CI checks): every problem in the report fails
the build (contract §2, §6).
"""

import os
import runpy
from pathlib import Path

# Everything pelicanconf.py sets, read from beside this file (no sys.path edits).
globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
        if name.isupper()
    }
)

# The site's real address, for canonical links, feeds and the sitemap. There is no
# placeholder: a publishing build (PRESS_PUBLISHING) without a real SITEURL stops with
# one line saying how to give it (PRESS_SITEURL=https://… or -e 'SITEURL="https://…"').
SITEURL = os.environ.get("PRESS_SITEURL", "")
PRESS_PUBLISHING = True
PRESS_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
