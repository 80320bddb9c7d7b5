"""Writes every language's site (front pages, sections, articles, issues, feeds) in one pass."""
