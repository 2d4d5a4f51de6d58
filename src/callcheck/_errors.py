"""Exception types raised by callcheck, and the catalogued text they carry.

Every error a user can cause derives from :class:`CallcheckError`; the CLI catches
that base class once and turns it into a one-line message and an exit status.
Every message is a key of the catalogue in ``_messages`` with the values that fill
it in, so it can be said in English or in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable

# At the top, not in InvalidNumber.message: an import statement in a function costs
# ~12,000 instructions at every call, and bulk checks meet many inputs that are not numbers.
from ._messages import EN, text


class Message:
    """Catalogued text: the key ``code`` and the ``params`` that fill it in.

    :meth:`message` renders it in a language; a value that is itself a
    :class:`Message` (a nested error, a label) is rendered in the same language.
    """

    __slots__ = ()  # a base of exceptions too, so it adds no fields of its own
    code: str
    params: dict[str, object]

    def message(self, lang: str) -> str:
        """The text in ``lang`` (``en`` or ``zh``); an unknown ``code`` raises KeyError."""
        return _render(self.code, self.params, lang)


def _render(code: str, params: dict[str, object], lang: str) -> str:
    """Message ``code`` in ``lang``; values that are messages themselves are said in it too."""
    said = {k: v.message(lang) if isinstance(v, Message) else v for k, v in params.items()}
    return text(code, lang, **said)


class Text(Message):
    """A catalogued sentence that is not an error: a warning, a label, or the part
    of an error's message that another message wraps. ``str()`` is the English."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        if code not in EN:  # fail where it is made, not when it is shown
            raise KeyError(code)
        self.code = code
        self.params = params

    @classmethod
    def of(cls, message: Message) -> Text:
        """The same text as ``message``, without what an exception holds on to (its traceback)."""
        params = {k: cls.of(v) if isinstance(v, CallcheckError) else v for k, v in message.params.items()}
        return cls(message.code, **params)

    def __str__(self) -> str:
        return self.message("en")

    def __repr__(self) -> str:
        return f"Text({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self.code, self.params) == (other.code, other.params)

    __hash__ = None  # type: ignore[assignment]  # params is a dict


class Remark(str, Message):
    """Catalogued text that is also its English string: for values that were plain
    English text before, so they still compare, print and serialise as that text,
    and say themselves in another language with :meth:`message`."""

    code: str
    params: dict[str, object]

    def __new__(cls, code: str, /, **params: object) -> Remark:
        self = super().__new__(cls, _render(code, params, "en"))
        self.code = code
        self.params = params
        return self


class Joined(Message):
    """Several messages in a row, separated as the language does (``;`` or ``；``)."""

    __slots__ = ("parts",)
    code = "error.join"

    def __init__(self, parts: Iterable[Message]) -> None:
        self.parts = tuple(parts)

    def message(self, lang: str) -> str:
        return text(self.code, lang).join(part.message(lang) for part in self.parts)

    def __str__(self) -> str:
        return self.message("en")


# Catalogue keys of the reasons an operating system gives most often; others are
# shown in the system's own (English) words.
_OS_REASONS = {
    "ENOENT": "os.enoent",
    "EACCES": "os.eacces",
    "EPERM": "os.eperm",
    "EISDIR": "os.eisdir",
    "ENOTDIR": "os.enotdir",
    "ENOSPC": "os.enospc",
    "EROFS": "os.erofs",
    "EEXIST": "os.eexist",
    "ENAMETOOLONG": "os.enametoolong",
    "ELOOP": "os.eloop",
    "EIO": "os.eio",
}


def os_reason(exc: OSError) -> Message:
    """Why the operating system refused, as a catalogued text where callcheck has one,
    else in the system's own words (a :class:`Remark` equal to them, in any language)."""
    import errno  # errors only: a number check never needs it

    code = _OS_REASONS.get(errno.errorcode.get(exc.errno or 0, ""))
    if code is not None:
        return Text(code)
    return Remark("os.other", reason=exc.strerror or str(exc))


class CallcheckError(Exception, Message):
    """Base class of every error callcheck raises on purpose.

    Raised with a message catalogue key and the values that fill it in
    (``RegistryError("registry.not_a_directory", path=...)``); ``str(error)`` is the
    English text and :meth:`message` renders it in another language. A value that
    is itself a :class:`Message` (another error, a :class:`Text`) is rendered in
    the same language. An unknown key raises KeyError where the error is made.
    """

    code: str
    params: dict[str, object]

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))


class InvalidInput(CallcheckError):
    """Input callcheck cannot use: a bad number, region or provider name."""


class InvalidNumber(InvalidInput):
    """The input cannot be read as a phone number.

    ``code`` names the problem (``invalid.letters``, ``invalid.too_short``...);
    :meth:`message` renders it in another language.
    """

    def __init__(self, code: str, number: str) -> None:
        # Made for every line of a bulk check that is not a number: no more work than this.
        self.code = code
        self.number = number
        self.params = {"input": number}
        Exception.__init__(self, text(code, "en", input=number))


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
