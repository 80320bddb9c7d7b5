"""What enters a build: the source tree and everything read from it.

Each file of content/ grouped by translation key, its header block and body, the headers the press
knows and how it reads them, what may enter at all (files, references, characters), the limits a
body must keep, the terms (sections, tags, publications), and the newsroom's dates (embargoes,
corrections). No Pelican here.
"""
