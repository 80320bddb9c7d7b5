"""Benchmark harness: a content generator, a build runner and an invoke task.

``bench/generate.py`` writes a deterministic multilingual content tree in the
layout of the press's contract; ``bench/run.py`` builds it with the press and
with two Pelican baselines and prints a table; ``bench/tasks_bench.py`` holds
the ``invoke bench`` task body.
"""
