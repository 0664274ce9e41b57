"""Normalisation, ULIDs and cursors: the pure rules everything else leans on."""

from __future__ import annotations

import unicodedata

import pytest

from agent_memory.domain.cursor import CursorCodec, query_fingerprint
from agent_memory.domain.errors import InvalidCursor
from agent_memory.domain.ids import UlidGenerator, is_ulid
from agent_memory.domain.text import content_key, has_control_characters, is_blank, normalise


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Likes tea", "  likes   TEA "),
        ("ﬁsh and chips", "fish and chips"),  # NFKC folds the ligature
        ("Straße", "STRASSE"),  # casefold, not lower
        ("café", "cafe\u0301"),  # composed and decomposed accents
        ("hello\u200bworld", "helloworld"),  # zero-width space is invisible
        ("tab\tand\nnewline", "tab and newline"),
    ],
)
def test_given_equivalent_texts_when_normalised_then_keys_match(left: str, right: str) -> None:
    assert normalise(left) == normalise(right)
    assert content_key(left) == content_key(right)


def test_given_different_texts_then_keys_differ() -> None:
    assert content_key("likes tea") != content_key("likes coffee")


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b\u200b", "\u3000"])
def test_given_only_whitespace_or_invisible_then_blank(text: str) -> None:
    assert is_blank(text)


def test_control_characters_are_detected_but_tabs_and_newlines_are_allowed() -> None:
    assert has_control_characters("bell\x07")
    assert has_control_characters("nul\x00")
    assert not has_control_characters("line one\nline two\tcol")


def test_ulids_are_valid_unique_and_strictly_increasing_within_a_millisecond() -> None:
    new_ulid = UlidGenerator()
    ids = [new_ulid(now_ms=1_700_000_000_000) for _ in range(1000)]
    assert all(is_ulid(i) for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ulids_sort_by_time_and_stay_monotonic_when_the_clock_steps_back() -> None:
    new_ulid = UlidGenerator()
    earlier = new_ulid(now_ms=3_000_000_000_000)
    later = new_ulid(now_ms=3_000_000_000_500)
    after_step_back = new_ulid(now_ms=2_999_000_000_000)
    assert earlier < later < after_step_back
    assert later[:10] != earlier[:10]  # the time part moved


class TestCursor:
    codec = CursorCodec(b"secret")
    fp = query_fingerprint("acme", "alice", None)

    def test_round_trip(self) -> None:
        cursor = self.codec.encode({"before_id": "01ABC"}, self.fp)
        assert self.codec.decode(cursor, self.fp) == {"before_id": "01ABC"}

    @pytest.mark.parametrize("cursor", ["", "nonsense", "a.b.c", "!!!.???", "x" * 2000, "eyJ9.AAAA"])
    def test_malformed_cursors_are_rejected(self, cursor: str) -> None:
        with pytest.raises(InvalidCursor):
            self.codec.decode(cursor, self.fp)

    def test_tampered_cursor_is_rejected(self) -> None:
        _body, sig = self.codec.encode({"before_id": "01ABC"}, self.fp).split(".")
        forged = CursorCodec(b"other").encode({"before_id": "01ZZZ"}, self.fp).split(".")[0]
        with pytest.raises(InvalidCursor, match="altered"):
            self.codec.decode(f"{forged}.{sig}", self.fp)

    def test_cursor_of_another_query_is_rejected(self) -> None:
        cursor = self.codec.encode({"before_id": "01ABC"}, self.fp)
        with pytest.raises(InvalidCursor, match="different query"):
            self.codec.decode(cursor, query_fingerprint("acme", "bob", None))


def test_every_unicode_control_character_and_only_those_is_refused() -> None:
    # Given every code point of Unicode's category Cc, and a sample of others that look odd but are not controls
    controls = [chr(point) for point in range(0x110000) if unicodedata.category(chr(point)) == "Cc"]
    others = ["\u200b", "\u2028", "\u00a0", "\ufeff", "\U0001f600", "é"]
    # Then each control is found (tab, newline and carriage return only where line breaks are allowed)
    assert len(controls) == 65
    assert all(has_control_characters(f"a{ch}b", allow_line_breaks=False) for ch in controls)
    assert [ch for ch in controls if not has_control_characters(ch)] == ["\t", "\n", "\r"]
    assert not any(has_control_characters(f"a{ch}b", allow_line_breaks=False) for ch in others)
