"""callcheck: is the call you are on really from your wallet or bank?

The public API is re-exported here; every other module is private.
"""

from __future__ import annotations

from ._check import check_number, check_numbers, check_transcript, monitor_call
from ._errors import CallcheckError, InvalidInput, InvalidNumber, RegistryError, UnknownProvider
from ._loading import load_registry
from ._registry import Contact, Names, OfficialNumber, Policy, Provider, Registry, Source
from ._results import Callback, Note, NumberCheck, ProviderRef
from ._transcript import Signal, TranscriptCheck, TranscriptMonitor

__version__ = "0.1.0.dev0"

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
