"""Typed domain errors; the web layer maps them to HTTP statuses (app/errors.py)."""

from __future__ import annotations


class DomainError(Exception):
    """An error a user can cause; `message` is shown to them (Simplified Chinese)."""

    def __init__(self, message: str, *, details: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    """The thing does not exist, or is outside the caller's scope (never say which)."""


class Conflict(DomainError):
    """The request contradicts the current state (stale version, impossible transition)."""


class InvalidInput(DomainError):
    """The input is malformed or breaks a rule; `details` maps keys to messages."""


class Forbidden(DomainError):
    """The caller's role may never take this action."""
