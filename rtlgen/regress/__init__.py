"""Pipelines over whole suites: the executor interface, bench runs, result storage and baselines."""
