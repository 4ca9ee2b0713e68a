"""Errors of the importers: each names the file and says, in one line, what is wrong."""

from __future__ import annotations

from stocktake.analysis.errors import InputError


class ImportInputError(InputError):
    """A file that cannot be imported at all."""

    def __init__(self, file: str, message: str):
        self.file = file
        self.reason = message
        super().__init__(f"{file}: {message}")


class EmptyFile(ImportInputError):
    pass


class FileTooLarge(ImportInputError):
    pass


class UnsupportedFormat(ImportInputError):
    pass


class EncryptedFile(ImportInputError):
    pass


class CorruptFile(ImportInputError):
    """Damaged, truncated, or not what its name says it is."""


class NoTextLayer(ImportInputError):
    """A PDF with pages but no text: a scan that needs OCR first."""
