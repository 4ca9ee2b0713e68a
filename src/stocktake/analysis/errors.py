"""Errors of the analysis library (no Django here)."""


class InputError(ValueError):
    """Unusable input: the message names the file and line and says what is wrong."""
