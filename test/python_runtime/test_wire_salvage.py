"""wire.salvage_message_id: the correlation id of a refused frame is read only from JSON text, as on the Node server.

Python's ``json`` reads ``NaN`` and ``Infinity``, which JSON.parse refuses: a frame holding one gets an error reply
without its id on both servers (the trial of session 9 found Python's reply carrying it).
"""

from __future__ import annotations

import pytest
from wsgen_runtime.wire import salvage_message_id

MID = "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"


def test_a_json_frame_gives_its_id() -> None:
    assert salvage_message_id(f'{{"type":"x","message_id":"{MID}","data":{{"n":1e400}}}}', "message_id") == MID


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_frame_with_a_non_json_number_gives_none(literal: str) -> None:
    assert salvage_message_id(f'{{"type":"x","message_id":"{MID}","data":{{"n":{literal}}}}}', "message_id") is None


@pytest.mark.parametrize("text", [f'{{"message_id":"{MID}"', f'{{"message_id":"{MID}",}}', "[1,2]"])
def test_no_json_or_no_object_gives_none(text: str) -> None:
    assert salvage_message_id(text, "message_id") is None
