"""Small typed errors. Each says which step failed, what was expected and what to do.

The message and the hint may be `Message`s (catalog key + parameters): `str(error)` is English, as the
command line prints it, and `error.as_message().text("zh")` is what the Data page shows in 中文.
"""

from __future__ import annotations

from shopdata.i18n import Message


class ShopdataError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    step = "shopdata"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def as_message(self) -> Message:
        """The whole text, "step: message — hint", in any language (plain-str parts stay as they are)."""
        step = Message(f"step.{self.step}")
        if self.hint:
            return Message("error.with_hint", step=step, message=self.message, hint=self.hint)
        return Message("error.plain", step=step, message=self.message)

    def __str__(self) -> str:
        return str.__str__(self.as_message())


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
        super().__init__(Message("error.throttled", seconds=int(retry_after) + 1))
        self.retry_after = retry_after


class ServeError(ShopdataError):
    step = "serve"
