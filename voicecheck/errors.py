"""The one exception tree of voicecheck.

Every error the library raises on purpose is a ``VoicecheckError``; the doors map
the branches to exit codes (CLI) and HTTP statuses (API), nowhere else::

    VoicecheckError
    ├── InputError            bad corpus or draft input (file, line, field)
    │   └── TooLittleDataError    not enough writing to learn or judge
    ├── ProfileError          a profile folder that cannot be used
    │   ├── ProfileNotFoundError
    │   ├── ProfileFormatError    missing, edited, truncated or from another model
    │   └── ProfileUnreadableError  the system will not let it be read (permissions, I/O)
    ├── LanguageError         a language voicecheck cannot handle
    ├── ModelUnavailableError an embedding model or spaCy pipeline is not installed
    ├── NotFittedError        a profile used before it learned anything
    └── StorageError          the history database failed

Beside it, ``VoicecheckWarning`` (a ``UserWarning``) for input that was read but not all of
it: the CLI prints it as a ``warning:`` line, a library user filters it like any warning.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "LanguageError",
    "ModelUnavailableError",
    "NotFittedError",
    "ProfileError",
    "ProfileFormatError",
    "ProfileNotFoundError",
    "ProfileUnreadableError",
    "StorageError",
    "TooLittleDataError",
    "VoicecheckError",
    "VoicecheckWarning",
]


class VoicecheckError(Exception):
    """Base of every error voicecheck raises on purpose."""


class VoicecheckWarning(UserWarning):
    """Something the user should know about the input, which did not stop the work."""


class InputError(VoicecheckError, ValueError):
    """Input that cannot be read: says which file, line and field.

    ``problems``: when several inputs are bad (``read_corpus``), the error of each, the message naming them all.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None, problems: list[InputError] | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.problems = problems or []
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.detail = message


class TooLittleDataError(InputError):
    """Too little writing to learn a voice from, or to judge a draft."""


class ProfileError(VoicecheckError):
    """A voice profile that cannot be used."""


class ProfileNotFoundError(ProfileError, LookupError):
    """No profile of that name or at that path."""


class ProfileFormatError(ProfileError):
    """A profile folder that is incomplete, edited, or from another version or model."""


class ProfileUnreadableError(ProfileError):
    """A profile folder the system will not let voicecheck read (permissions, an I/O error): the operator's to fix,
    not a reason to learn the profile again."""


class LanguageError(VoicecheckError, ValueError):
    """A language code voicecheck does not know."""


class ModelUnavailableError(VoicecheckError):
    """A model package is not installed; the message gives the install command."""


class NotFittedError(VoicecheckError, AttributeError):
    """A profile used before ``fit``."""


class StorageError(VoicecheckError):
    """The history store failed (database unreachable, schema too new)."""
