"""What the press relies on inside Pelican and rich (press/pipeline/pelican_seams.py).

These fail when an upgrade changes a private part the press uses, so that the
upgrade is noticed here rather than as a build that hangs or goes wrong.
"""

from __future__ import annotations

import threading

from press.pipeline import pelican_seams


def test_the_status_animation_thread_is_stopped_and_the_display_still_closes():
    from pelican.log import console

    assert isinstance(console._live_stack, list)
    with console.status("Generating..."):
        live = console._live_stack[-1]
        assert live._refresh_thread is not None and live._refresh_thread.is_alive()
        thread = live._refresh_thread
        pelican_seams.stop_status_animation()
        assert live._refresh_thread is None
        assert not thread.is_alive()
        assert thread not in threading.enumerate()
    assert console._live_stack == []
