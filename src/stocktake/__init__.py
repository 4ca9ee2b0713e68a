"""stocktake: learning reviews across health and care systems."""

__version__ = "0.1.0"
