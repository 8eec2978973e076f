"""Prints the protocol descriptor of a generated wsgen_protocol package as JSON, for the TS = Python comparison.

Usage: descriptor_dump.py PACKAGE_PARENT_DIR
Models become their class names; parse and validate are checked to be the package's own functions.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

import wsgen_protocol as w  # noqa: E402
from wsgen_protocol.protocol import PROTOCOL  # noqa: E402

assert PROTOCOL is w.PROTOCOL and PROTOCOL.parse is w.parse_message and PROTOCOL.validate is w.validate_message
for tag, spec in PROTOCOL.messages.items():
    assert spec.tag == tag and spec.model is w.models.TAGS[tag] and spec.model.__name__ == spec.name
print(
    json.dumps(
        {
            "name": PROTOCOL.name,
            "version": PROTOCOL.version,
            "schemaHash": PROTOCOL.schema_hash,
            "tagged": PROTOCOL.tagged,
            "tag": PROTOCOL.tag,
            "maxDepth": PROTOCOL.max_depth,
            "messages": {
                t: {"name": m.name, "direction": m.direction, "priority": m.priority, "role": m.role, "fields": list(m.fields)}
                for t, m in PROTOCOL.messages.items()
            },
            "roles": dict(PROTOCOL.roles),
            "fields": dict(PROTOCOL.fields),
            "capabilities": list(PROTOCOL.capabilities),
            "errorCodes": {n: {"value": c.value, "retryable": c.retryable, "description": c.description} for n, c in PROTOCOL.error_codes.items()},
            "closeCodes": {
                n: {"value": c.value, "retryable": c.retryable, "terminal": c.terminal, "description": c.description}
                for n, c in PROTOCOL.close_codes.items()
            },
            "closeCodeRanges": {k: list(v) for k, v in PROTOCOL.close_code_ranges.items()},
            "enums": {k: list(v) for k, v in PROTOCOL.enums.items()},
        }
    )
)
