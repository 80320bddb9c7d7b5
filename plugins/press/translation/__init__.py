"""Translations held to their originals.

The parity rules (missing, stale, orphan, mismatch), what a reader of each version sees and how an
original's blocks align with a translation's, the glossary's terminology, and the segments and PO
files translators work in. No Pelican here.
"""
