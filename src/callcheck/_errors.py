"""Exception types raised by callcheck.

Every error a user can cause derives from :class:`CallcheckError`; the CLI catches
that base class once and turns it into a one-line message and an exit status.
"""

from __future__ import annotations

# At the top, not in InvalidNumber.message: an import statement in a function costs
# ~12,000 instructions at every call, and bulk checks meet many inputs that are not numbers.
from ._messages import text


class CallcheckError(Exception):
    """Base class of every error callcheck raises on purpose."""


class InvalidInput(CallcheckError):
    """Input callcheck cannot use: a bad number, region or provider name."""


class InvalidNumber(InvalidInput):
    """The input cannot be read as a phone number.

    ``code`` names the problem (``invalid.letters``, ``invalid.too_short``...);
    :meth:`message` renders it in another language.
    """

    def __init__(self, code: str, number: str) -> None:
        self.code = code
        self.number = number
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return text(self.code, lang, input=self.number)


class UnknownProvider(InvalidInput):
    """A provider was named that the registry does not contain, or is ambiguous."""


class RegistryError(CallcheckError):
    """A registry (source tree or compiled file) is malformed or unreadable."""


class SignatureError(CallcheckError):
    """A key or signature is malformed, untrusted or does not match the data."""


class UpdateError(CallcheckError):
    """A registry update was refused or failed; the installed registry is unchanged."""


class _Catalogued:
    """An error whose text is the message catalogue entry ``code`` with ``params``."""

    code: str
    params: dict[str, object]

    def message(self, lang: str) -> str:
        from ._messages import text

        return text(self.code, lang, **self.params)


class InvalidRecord(_Catalogued, InvalidInput):
    """The details given cannot make a call record (nothing to record, notes too long...)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))


class RecordError(_Catalogued, CallcheckError):
    """Call records could not be saved, read or exported; records already saved are unchanged."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))
