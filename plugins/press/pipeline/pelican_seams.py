"""Where the press reaches into Pelican (and the libraries Pelican drives) past their public API.

Each seam here says why it is needed, and ``tests/test_pelican_seams.py``
fails when an upgrade of Pelican or rich changes what it relies on, rather
than letting the build go wrong quietly.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def stop_status_animation(_pelican=None) -> None:
    """Stop the thread that animates Pelican's "Generating..." spinner (``get_generators``).

    ``pelican.main`` runs the whole build inside ``console.status(…)``, a rich
    ``Live`` display whose ``_RefreshThread`` redraws it ten times a second.
    The press forks its page workers during the build, and a fork while that
    thread holds a lock (the console's, logging's, malloc's) can leave the
    child deadlocked (``press.parallel``).  The display stays (it is redrawn
    when something is logged); only its timer thread ends, and ``Live.stop``
    skips a refresh thread that is None.
    """
    try:
        from pelican.log import console
    except ImportError:
        return
    for live in list(getattr(console, "_live_stack", ())):
        thread = getattr(live, "_refresh_thread", None)
        if thread is None:
            continue
        thread.stop()
        thread.join()
        live._refresh_thread = None
        logger.debug("Pelican's status display is no longer animated: the build forks workers")
