"""Runs: executing notebooks, caches, manifest, diff, report, outputs, lab."""
