"""Small typed errors. Each says which step failed, what was expected and what to do."""
from __future__ import annotations


class ShopdataError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    step = "shopdata"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.step}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ReadError(ShopdataError):
    step = "read"


class LocateError(ShopdataError):
    step = "locate"


class RecogniseError(ShopdataError):
    step = "recognise"


class ValidateError(ShopdataError):
    step = "validate"


class LoadError(ShopdataError):
    step = "load"


class DatabaseError(ShopdataError):
    step = "database"


class BackupError(ShopdataError):
    step = "backup"
