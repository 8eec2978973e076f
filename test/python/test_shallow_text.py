"""_depth.shallow_text: a too-deep JSON text cut to a depth json.loads reads, for the pointer of its depth issue.

parse_message reads a text pydantic-core's parser refused as too deep through it (``_parser._text_depth_error``), so
the cut must keep every depth issue (the values still nest past ``keep``), leave shallow texts and strings alone,
and never recurse (30,000 levels read in one scan).
"""

from __future__ import annotations

import json
from typing import Any

from wsgen_protocol._depth import shallow_text


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value (a scalar is 0), iteratively."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d + 1)
            stack += [(x, d + 1) for x in (v.values() if isinstance(v, dict) else v)]
    return deepest


def test_a_shallow_text_is_unchanged() -> None:
    text = '{"a":[1,{"b":"[{]}"}],"c":{}}'
    assert shallow_text(text, 5) == text


def test_containers_past_keep_become_zero_and_the_rest_stays() -> None:
    text = '{"a":' + "[" * 300 + "]" * 300 + ',"b":"[x]","c":[1,2]}'
    cut = shallow_text(text, 202)
    value = json.loads(cut)
    assert _depth(value) == 202
    assert value["b"] == "[x]" and value["c"] == [1, 2]


def test_thirty_thousand_levels_are_read_without_recursion() -> None:
    cut = shallow_text("[" * 30000 + "]" * 30000, 202)
    assert _depth(json.loads(cut)) == 202


def test_brackets_inside_strings_do_not_count() -> None:
    text = '{"s":"' + "[" * 500 + '","t":["\\"["]}'
    assert shallow_text(text, 3) == text
