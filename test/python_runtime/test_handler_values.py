"""How an outbound value becomes wire data, the one rule of every sender (``wire.as_message`` for the message a
sender is handed, ``wire.to_json`` for its text and for the text the outbound check judges): a model is written as
``dump_message`` writes it, so a field set to ``None`` is sent as ``null`` and a field never set is left out,
wherever the model stands (the top, a dict, a list, a tuple), also on the stdlib path ``to_json`` takes for text
that mentions NaN or Infinity."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ConfigDict, Field
from wsgen_protocol.models import ProgressUpdate
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime.generated import outbound_validator
from wsgen_runtime.wire import as_message, to_json


class Patch(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    text: str | None = None
    x: float | None = None
    from_: str | None = Field(default=None, alias="from")


def test_a_field_set_to_none_is_sent_as_null_and_an_unset_one_is_left_out() -> None:
    assert as_message(Patch(text=None)) == {"text": None}
    assert as_message(Patch(x=1.5)) == {"x": 1.5}
    assert to_json(Patch(from_="a")) == '{"from":"a"}'  # type: ignore[arg-type]


def test_models_inside_dicts_and_lists_are_written_the_same_way_with_wire_names() -> None:
    value = {"patches": [Patch(text=None), Patch(from_="a")], "n": (1, 2), "one": Patch()}
    assert json.loads(to_json(value)) == {"patches": [{"text": None}, {"from": "a"}], "n": [1, 2], "one": {}}


def test_the_stdlib_path_for_text_mentioning_nan_writes_models_by_the_same_rule() -> None:
    value = {"message": "NaN is not a number", "patch": Patch(text="Infinity")}
    assert json.loads(to_json(value)) == {"message": "NaN is not a number", "patch": {"text": "Infinity"}}
    with pytest.raises(ValueError):
        to_json({"message": "NaN", "patch": Patch(x=float("nan"))})


def test_a_dict_is_kept_a_mapping_copied_and_anything_else_refused() -> None:
    d = {"type": "x"}
    assert as_message(d) is d  # the runtime adds its fields (seq...) in place, as before
    with pytest.raises(TypeError, match="a dict or a generated model, not a str"):
        as_message("text")  # type: ignore[arg-type]


def test_the_outbound_check_judges_a_model_with_unset_not_null_fields_as_sent() -> None:
    validate = outbound_validator(PROTOCOL.parse)
    model = ProgressUpdate(type="progress_update", timestamp="2026-01-02T03:04:05Z", progress=0.5)
    assert validate(as_message(model)) == ()
    assert validate({"type": "system_message", "timestamp": "2026-01-02T03:04:05Z", "message": "m", "data": model}) == ()
    assert "null" not in to_json({"data": model})
