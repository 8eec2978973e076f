"""The bundled protocol's descriptor: the generated ``wsgen_protocol.protocol.PROTOCOL`` through
:func:`wsgen_runtime.generated.from_generated`, plus the two names the role catalogue lacks (the
``timestamp`` and ``session_token`` fields) and the spelling of the runtime's handler errors
(``AGENT_*``)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from ..descriptor import ProtocolDescriptor
from ..generated import from_generated

#: The runtime's generic error names that this protocol spells differently.
ERROR_ALIASES = {"HANDLER_UNAVAILABLE": "AGENT_UNAVAILABLE", "HANDLER_ERROR": "AGENT_ERROR", "HANDLER_TIMEOUT": "AGENT_TIMEOUT"}


def load_generated(search: Path | None = None) -> ModuleType:
    """Imports ``wsgen_protocol``; when it is not importable, from ``<search or cwd>/generated/python``.

    Raises ImportError with a hint when it is found nowhere.
    """
    try:
        return importlib.import_module("wsgen_protocol")
    except ImportError:
        base = (search or Path.cwd()) / "generated" / "python"
        if not (base / "wsgen_protocol").is_dir():
            raise ImportError(
                "wsgen_protocol is not importable: run from the repository root, pass --protocol-path, or put generated/python on PYTHONPATH"
            ) from None
        sys.path.insert(0, str(base))
        return importlib.import_module("wsgen_protocol")


def bundled_protocol(generated: ModuleType | None = None) -> ProtocolDescriptor:
    """The descriptor of the bundled protocol, from its generated ``PROTOCOL`` (``generated`` defaults to
    :func:`load_generated`): roles, priorities, directions and code tables are the schema's."""
    g = generated if generated is not None else load_generated()
    protocol = importlib.import_module(g.__name__ + ".protocol").PROTOCOL
    return from_generated(protocol, timestamp_field="timestamp", session_token_field="session_token", error_aliases=ERROR_ALIASES)
