"""Errors whose message is meant for the member who caused them. No Discord imports."""


class UserError(Exception):
    """A mistake or refusal the member should read: shown kindly, ephemerally, no traceback."""


class NotFound(UserError):
    """An id that does not exist here (or belongs to another guild)."""
