"""Agreement between coders: blind double-coding of a sample, kappa, disagreements, reconciling.

``models`` holds the exercise (imported by ``assess.models`` so Django finds it),
``actions`` every change, ``queries`` what pages, CLI and exports read, and the
statistics are the plain library :mod:`stocktake.analysis.agreement`.
"""
