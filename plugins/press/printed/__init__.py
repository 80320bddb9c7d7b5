"""The editions beyond the web.

An issue of the periodical set as a printed paper (PDF and booklet) and as an e-book (EPUB), the
fonts they are set in and the check that those draw every letter, and each language's offline copy.
No Pelican here.
"""
