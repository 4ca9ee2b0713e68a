"""Tracking after publication: what became of a review's recommendations.

Today: progress updates on each recommendation (``ProgressUpdate``, written by
``track.actions``). Next, here too: the recommendation register and the
innovation register (every recommendation and innovation across reviews, with
owner and status), and stocktake cycles (the same review repeated, each cycle
following up the last one's recommendations). It sits above ``report`` in the
layers (ARCHITECTURE.md).
"""
