"""Pure-Python domain rules: no Flask, no SQLAlchemy, no clock. Everything takes plain values."""


class DomainError(Exception):
    """A business rule was broken. The message is safe to show to staff."""
