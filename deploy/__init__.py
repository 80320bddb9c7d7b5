"""Deployment of the built site: checks, releases, the web server's configuration.

- :mod:`deploy.check` checks a built output folder (links, feeds, foreign
  resources, leftover placeholders, HTML validity) and reports every failure.
- :mod:`deploy.release` publishes a checked build as a new release and
  switches the ``current`` symlink atomically; it also rolls back.
- :mod:`deploy.nginx` renders the nginx configuration for the site's languages.
"""

from deploy.check import Failure, check_site
from deploy.nginx import render_nginx_conf
from deploy.release import ReleaseError, publish, rollback

__all__ = [
    "Failure",
    "ReleaseError",
    "check_site",
    "publish",
    "render_nginx_conf",
    "rollback",
]
