"""HTML made safe and readable.

Markdown bodies rendered by two engines and a content-addressed cache, raw HTML sanitised, autolinks
cut where the address ends, heading ids, plain-text standfirsts, and the site's Content-Security-
Policy. No Pelican here.
"""
