"""Deployment of the built site: checks, releases, the web server's configuration.

- :mod:`deploy.check` checks a built output folder (links, feeds, foreign
  resources, leftover placeholders, HTML validity) and reports every failure.
- :mod:`deploy.release` publishes a checked build as a new release and
  switches the ``current`` symlink atomically; it also rolls back.
- :mod:`deploy.nginx` renders the nginx configuration for the site's languages.
"""

__all__ = [
    "Failure",
    "ReleaseError",
    "check_site",
    "publish",
    "render_nginx_conf",
    "rollback",
]

_HOMES = {
    "Failure": "deploy.check",
    "check_site": "deploy.check",
    "ReleaseError": "deploy.release",
    "publish": "deploy.release",
    "rollback": "deploy.release",
    "render_nginx_conf": "deploy.nginx",
}


def __getattr__(name: str):
    # Imported on first use, so that ``python -m deploy.check`` runs cleanly.
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'deploy' has no attribute {name!r}")
