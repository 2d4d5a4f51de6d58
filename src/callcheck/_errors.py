"""Exception types raised by callcheck.

Every error a user can cause derives from :class:`CallcheckError`; the CLI catches
that base class once and turns it into a one-line message and an exit status.
"""

from __future__ import annotations

# At the top, not in InvalidNumber.message: an import statement in a function costs
# ~12,000 instructions at every call, and bulk checks meet many inputs that are not numbers.
from ._messages import EN, text


class CallcheckError(Exception):
    """Base class of every error callcheck raises on purpose.

    Raised with a message catalogue key and the values that fill it in
    (``RegistryError("error.not_a_directory", path=...)``); ``str(error)`` is the
    English text and :meth:`message` renders it in another language. A value that
    is itself a callcheck error is rendered in the same language.
    """

    code: str
    params: dict[str, object]

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The error's text in ``lang`` (``en`` or ``zh``)."""
        if self.code not in EN:
            return self.code  # plain text from before the catalogue; kept as it is
        params = {k: v.message(lang) if isinstance(v, CallcheckError) else v for k, v in self.params.items()}
        return text(self.code, lang, **params)


class InvalidInput(CallcheckError):
    """Input callcheck cannot use: a bad number, region or provider name."""


class InvalidNumber(InvalidInput):
    """The input cannot be read as a phone number.

    ``code`` names the problem (``invalid.letters``, ``invalid.too_short``...);
    :meth:`message` renders it in another language.
    """

    def __init__(self, code: str, number: str) -> None:
        self.number = number
        super().__init__(code, input=number)


class UnknownProvider(InvalidInput):
    """A provider was named that the registry does not contain, or is ambiguous."""


class RegistryError(CallcheckError):
    """A registry (source tree or compiled file) is malformed or unreadable."""


class SignatureError(CallcheckError):
    """A key or signature is malformed, untrusted or does not match the data."""


class UpdateError(CallcheckError):
    """A registry update was refused or failed; the installed registry is unchanged."""


class InvalidRecord(InvalidInput):
    """The details given cannot make a call record (nothing to record, notes too long...)."""


class RecordError(CallcheckError):
    """Call records could not be saved, read or exported; records already saved are unchanged."""
