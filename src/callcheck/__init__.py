"""callcheck: is the call you are on really from your wallet or bank?

The public API is re-exported here; every other module is private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._check import check_number, check_numbers, check_transcript, monitor_call
from ._errors import (
    CallcheckError,
    InvalidInput,
    InvalidNumber,
    InvalidRecord,
    RecordError,
    RegistryError,
    UnknownProvider,
)
from ._loading import load_registry
from ._registry import Contact, Names, OfficialNumber, Policy, Provider, Registry, Source
from ._results import Callback, Note, NumberCheck, ProviderRef

if TYPE_CHECKING:  # what the lazy names below are, for type checkers
    from ._records import (
        CallRecord,
        Records,
        SavedRecord,
        delete_records,
        export_records,
        load_records,
        records_path,
        save_record,
    )

__version__ = "0.1.0"

# The transcript engine loads its patterns and Aho-Corasick matchers, and call records
# their file handling; a number check needs neither, so they are imported on first use.
_LAZY = {
    "Signal": "_transcript",
    "TranscriptCheck": "_transcript",
    "TranscriptMonitor": "_transcript",
    "CallRecord": "_records",
    "Records": "_records",
    "SavedRecord": "_records",
    "delete_records": "_records",
    "export_records": "_records",
    "load_records": "_records",
    "records_path": "_records",
    "save_record": "_records",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'callcheck' has no attribute {name!r}")


__all__ = [
    "CallRecord",
    "Callback",
    "CallcheckError",
    "Contact",
    "InvalidInput",
    "InvalidNumber",
    "InvalidRecord",
    "Names",
    "Note",
    "NumberCheck",
    "OfficialNumber",
    "Policy",
    "Provider",
    "ProviderRef",
    "RecordError",
    "Records",
    "Registry",
    "RegistryError",
    "SavedRecord",
    "Signal",
    "Source",
    "TranscriptCheck",
    "TranscriptMonitor",
    "UnknownProvider",
    "__version__",
    "check_number",
    "check_numbers",
    "check_transcript",
    "delete_records",
    "export_records",
    "load_records",
    "load_registry",
    "monitor_call",
    "records_path",
    "save_record",
]
