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


class ReportError(ShopdataError):
    """A report asked for something it does not have (a breakdown it cannot make)."""

    step = "report"


class DatabaseError(ShopdataError):
    step = "database"


class BackupError(ShopdataError):
    step = "backup"


class AccountError(ShopdataError):
    """A request about accounts that cannot be carried out (bad name, weak password, last owner…)."""

    step = "accounts"


class LoginRefused(ShopdataError):
    """Wrong name or password. Deliberately says nothing about which of the two."""

    step = "sign-in"


class LoginThrottled(ShopdataError):
    """Too many failed attempts; `retry_after` seconds until the next one is heard."""

    step = "sign-in"

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed sign-ins; try again in {int(retry_after) + 1} s")
        self.retry_after = retry_after


class ServeError(ShopdataError):
    step = "serve"
