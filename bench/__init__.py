"""Benchmarks: ``python -m bench`` runs them all and prints their figures.

Speed is always a ratio to a baseline measured in the same run on the same machine.
"""
