"""``python -m deploy.release publish|rollback|list`` (contract §7): the deploy tools' command line.

It lives in :mod:`deploy.publishing`, above the releases' mechanics (this package), so
that no import runs back up from them to what drives them.
"""

import sys

from deploy.publishing import main

sys.exit(main())
