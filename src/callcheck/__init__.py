"""callcheck: is the call you are on really from your wallet or bank?

The public API is re-exported here; every other module is private.
"""

from __future__ import annotations

from ._check import check_number, check_numbers, check_transcript, monitor_call
from ._errors import CallcheckError, InvalidInput, InvalidNumber, RegistryError, UnknownProvider
from ._loading import load_registry
from ._registry import Contact, Names, OfficialNumber, Policy, Provider, Registry, Source
from ._results import Callback, Note, NumberCheck, ProviderRef

__version__ = "0.1.0"

# The transcript engine loads its patterns and Aho-Corasick matchers; a number check
# does not need it, so its classes are imported on first use.
_LAZY = {"Signal", "TranscriptCheck", "TranscriptMonitor"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import _transcript

        return getattr(_transcript, name)
    raise AttributeError(f"module 'callcheck' has no attribute {name!r}")


__all__ = [
    "Callback",
    "CallcheckError",
    "Contact",
    "InvalidInput",
    "InvalidNumber",
    "Names",
    "Note",
    "NumberCheck",
    "OfficialNumber",
    "Policy",
    "Provider",
    "ProviderRef",
    "Registry",
    "RegistryError",
    "Signal",
    "Source",
    "TranscriptCheck",
    "TranscriptMonitor",
    "UnknownProvider",
    "__version__",
    "check_number",
    "check_numbers",
    "check_transcript",
    "load_registry",
    "monitor_call",
]
