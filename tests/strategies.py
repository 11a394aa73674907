"""Hypothesis strategies shared by the parsers' property tests."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutated(
    draw: st.DrawFn, valid: bytes, specials: bytes = b"", *, any_byte: bool = True, max_edits: int = 8
) -> bytes:
    """A valid file with 1 to `max_edits` bytes inserted, deleted or replaced.

    An edit's byte is one of the format's own syntax characters (`specials`) or, with `any_byte`,
    any byte at all: mutants that stay close to the format reach deeper into a parser than noise.
    """
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, max_edits))):
        pos = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if specials and (not any_byte or draw(st.booleans())):
            byte = draw(st.sampled_from(specials))
        else:
            byte = draw(st.integers(0, 255))
        if action == "insert":
            data.insert(pos, byte)
        elif data and pos < len(data):
            if action == "delete":
                del data[pos]
            else:
                data[pos] = byte
    return bytes(data)
