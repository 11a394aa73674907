"""The shared loaders: every hostile or broken input becomes one `ParseError`, never a crash."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.detectors.parsing import ParseError, load_json, load_toml, load_xml, load_yaml

BILLION_LAUGHS_XML = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<project>&lol2;</project>"""
EXTERNAL_ENTITY_XML = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><project>&xxe;</project>"""
YAML_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(20)
)


@pytest.mark.parametrize(
    ("loader", "text", "reason"),
    [
        (load_json, '{"a": 1,,}', "not valid JSON"),
        (load_json, "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (load_toml, "[project\nname = 1", "not valid TOML"),
        (load_yaml, "a: [unclosed", "not valid YAML"),
        (load_yaml, YAML_BOMB, "alias bomb"),
        (load_yaml, "!!python/object/apply:os.system ['echo pwned']", "not valid YAML"),
        (load_yaml, "[" * 20_000 + "]" * 20_000, "YAML"),
        (load_xml, "<project><unclosed></project>", "not valid XML"),
        (load_xml, BILLION_LAUGHS_XML, "forbidden XML construct"),
        (load_xml, EXTERNAL_ENTITY_XML, "forbidden XML construct"),
    ],
)
def test_bad_input_is_one_parse_error(loader, text: str, reason: str) -> None:
    with pytest.raises(ParseError) as err:
        loader(text)
    assert reason in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("loader", "text", "value"),
    [
        (load_json, '{"a": [1, 2]}', {"a": [1, 2]}),
        (load_toml, '[project]\nname = "x"\n', {"project": {"name": "x"}}),
        (
            load_yaml,
            "on:\n  push: {}\nbase: &b {x: 1}\nuse: *b\n",
            {True: {"push": {}}, "base": {"x": 1}, "use": {"x": 1}},
        ),
        (load_xml, "<project><version>1</version></project>", "1"),
    ],
)
def test_good_input_loads(loader, text: str, value: object) -> None:
    got = loader(text)
    if loader is load_xml:
        got = got.find("version").text
    assert got == value


def test_yaml_all_documents() -> None:
    assert load_yaml("a: 1\n---\nb: 2\n", all_documents=True) == [{"a": 1}, {"b": 2}]


@given(st.text(max_size=300))
def test_any_text_either_loads_or_raises_parse_error(text: str) -> None:
    for loader in (load_json, load_toml, load_yaml, load_xml):
        with contextlib.suppress(ParseError):
            loader(text)
