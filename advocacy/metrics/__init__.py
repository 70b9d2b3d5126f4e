"""Metrics: one definition each (see DESIGN.md), read from the rollups; pages, API and CSV
all call these functions and never re-derive a figure."""
