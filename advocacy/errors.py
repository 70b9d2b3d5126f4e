"""The few named exceptions domain code raises; the web layer maps each to a status."""

from __future__ import annotations


class DomainError(Exception):
    """An error with a message meant for people."""

    code = "error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    code = "validation_error"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class IllegalTransition(DomainError):
    """A post cannot go from its state to the one asked for."""

    code = "illegal_transition"
    status = 409
