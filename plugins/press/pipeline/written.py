"""Pelican's ``content_written`` signal for every file the press writes itself.

The press writes its pages without Pelican's Writer (one pass for every
language, rendered on every core), so it sends the signal the Writer would
send: ``signals.content_written.send(path, context=localcontext)``, with the
absolute path of the file and the page's template context (Pelican's context,
then the page's own values, then ``output_file``, the path inside the output
folder).  Plugins that post-process written files (minifiers, link checkers)
work as with Pelican's own pages.

It is sent from the build's process once the file is on disk, in a fixed order
(the pages in the order the generator queued them, then the feeds; the
sitemap and ``robots.txt`` at ``finalized``), and only for files this build
wrote: a page that an incremental build leaves untouched is not sent again, so
a receiver that rewrites the file does so once.  Feeds also get Pelican's
``feed_written`` (with the feed object), as the Writer sends for its feeds.
The theme's assets and the attachments are copies, which Pelican does not
announce either.
"""

from __future__ import annotations

import os

from pelican import signals


def wants_written_files() -> bool:
    """Whether any plugin listens to ``content_written`` (else nothing is built for it)."""
    return bool(signals.content_written.receivers)


def announce_written(output_path: str, name: str, context: dict) -> None:
    """Send ``content_written`` for ``name`` (a path inside ``output_path``) as Pelican's Writer does."""
    if not wants_written_files():
        return
    path = os.path.abspath(os.path.join(output_path, name))
    signals.content_written.send(path, context={**context, "output_file": name})


def announce_feed_written(output_path: str, name: str, context: dict, feed) -> None:
    """A feed: ``content_written``, then Pelican's own ``feed_written``."""
    announce_written(output_path, name, context)
    path = os.path.abspath(os.path.join(output_path, name))
    signals.feed_written.send(path, context=context, feed=feed)
