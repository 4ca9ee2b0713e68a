"""Emergent themes of a review in the web: runs stored with their seed (``actions``), and
what the pages read of them (``queries``). The clustering and labelling are the analysis
library's (``analysis/emergent.py``, ``analysis/phrases.py``)."""
