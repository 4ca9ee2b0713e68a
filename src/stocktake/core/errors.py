"""Errors raised by actions and the analysis layer, shown to users as one line."""


class StocktakeError(Exception):
    """Base class: something the user asked for cannot be done; the message says why."""


class NotAllowed(StocktakeError):
    """The acting user's role does not permit this."""


class InvalidTransition(StocktakeError):
    """A workflow state change that the transitions table does not allow."""


class InvalidInput(StocktakeError):
    """Input data (a file, a value) is unusable; the message says what and where."""


class EditConflict(StocktakeError):
    """Someone else changed the thing being edited since it was read; nothing was saved."""
