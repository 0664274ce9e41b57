"""The conversation log parser on hostile input: nothing a file holds may raise anything but a rejection, and a bad
line is reported with its number while the others are kept."""

from __future__ import annotations

import json

import pytest

from agent_memory.domain.conversation_log import (
    MAX_JSON_DEPTH,
    MAX_NUMBER_CHARS,
    LogAddress,
    ParsedLog,
    RejectedLog,
    parse,
)

ALICE = LogAddress("acme", "alice", "trip")


def message(content: str, **extra: object) -> str:
    return json.dumps({"role": "user", "content": content, **extra}, ensure_ascii=False)


def parsed(*lines: str) -> ParsedLog:
    return parse(("\n".join(lines) + "\n").encode(), ALICE)


def kept(log: ParsedLog) -> list[tuple[int, str]]:
    return [(line.line, line.message.content) for line in log.lines]


def bad(log: ParsedLog) -> list[tuple[int, str]]:
    return [(error.line, error.reason) for error in log.errors]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("at", [1, 2])
def test_given_a_line_nested_30000_deep_when_parsed_then_that_line_is_reported_and_the_rest_kept(at: int) -> None:
    lines = [message("I live in Lisbon."), message("I have two cats.")]
    lines.insert(at - 1, nested(30_000))
    log = parsed(*lines)
    assert bad(log) == [(at, f"nested deeper than {MAX_JSON_DEPTH} levels")]
    assert [content for _, content in kept(log)] == ["I live in Lisbon.", "I have two cats."]


def test_given_nesting_just_within_the_limit_when_parsed_then_the_line_is_kept() -> None:
    inside = json.loads(nested(MAX_JSON_DEPTH - 1))
    log = parsed(message("I live in Lisbon.", extra=inside), message("I play chess.", extra=[inside]))
    # Then depth 64 (the message object counts as one) is accepted, 65 is not
    assert kept(log) == [(1, "I live in Lisbon.")]
    assert bad(log) == [(2, f"nested deeper than {MAX_JSON_DEPTH} levels")]


def test_given_brackets_inside_strings_when_parsed_then_they_do_not_count_as_nesting() -> None:
    log = parsed(message("[" * 5000 + '\\" {{{', note="]" * 100 + "[" * 100))
    assert bad(log) == [] and len(log.lines) == 1


def test_given_an_unclosed_deep_line_when_parsed_then_it_is_reported_not_raised() -> None:
    log = parsed(message("I live in Lisbon."), '{"a":' * 5000)
    assert bad(log) == [(2, f"nested deeper than {MAX_JSON_DEPTH} levels")]


def test_given_one_json_document_nested_30000_deep_when_parsed_then_the_file_is_rejected() -> None:
    with pytest.raises(RejectedLog, match="nested deeper than 64 levels"):
        parse(('{"messages": ' + nested(30_000) + "}").encode(), ALICE)


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "9" * 5000, "1." + "0" * 5000, "1e" + "9" * 5000])
def test_given_a_5000_digit_number_when_parsed_then_that_line_is_reported_and_the_rest_kept(number: str) -> None:
    log = parsed(message("I live in Lisbon."), '{"role": "user", "content": "hi", "n": ' + number + "}")
    assert bad(log) == [(2, f"a number is longer than {MAX_NUMBER_CHARS} characters")]
    assert kept(log) == [(1, "I live in Lisbon.")]


def test_given_a_5000_digit_number_on_the_first_line_when_parsed_then_it_is_reported_by_number() -> None:
    log = parsed('{"role": "user", "content": "hi", "n": ' + "9" * 5000 + "}", message("I have two cats."))
    assert bad(log) == [(1, f"a number is longer than {MAX_NUMBER_CHARS} characters")]
    assert kept(log) == [(2, "I have two cats.")]


def test_given_a_one_document_log_with_a_5000_digit_number_when_parsed_then_the_file_is_rejected() -> None:
    document = '{"messages": [{"role": "user", "content": "hi", "n": ' + "9" * 5000 + "}]}"
    with pytest.raises(RejectedLog, match="a number is longer than 100 characters"):
        parse(document.encode(), ALICE)


def test_given_numbers_within_the_limit_when_parsed_then_they_are_accepted() -> None:
    log = parsed(message("I live in Lisbon.", n=int("9" * MAX_NUMBER_CHARS), f=1.5e300, id=12345))
    assert bad(log) == [] and log.lines[0].message.ref == "12345"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_given_a_unicode_line_separator_inside_a_string_when_parsed_then_the_line_is_not_split(separator: str) -> None:
    log = parsed(message(f"I live in{separator}Porto."), message("I have two cats."))
    # Then the message is kept whole, and line numbers count line feeds only
    assert bad(log) == []
    assert kept(log) == [(1, f"I live in{separator}Porto."), (2, "I have two cats.")]


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"])
def test_given_a_raw_control_separator_inside_a_line_when_parsed_then_only_that_line_is_bad(separator: str) -> None:
    raw = '{"role": "user", "content": "I live in' + separator + 'Porto."}'
    log = parsed(raw, message("I have two cats."))
    assert [number for number, _ in bad(log)] == [1] and "not JSON" in bad(log)[0][1]
    assert kept(log) == [(2, "I have two cats.")]


def test_given_crlf_line_ends_when_parsed_then_each_line_is_one_message() -> None:
    data = (message("I live in Lisbon.") + "\r\n" + "{broken\r\n" + message("I have two cats.") + "\r\n").encode()
    log = parse(data, ALICE)
    assert kept(log) == [(1, "I live in Lisbon."), (3, "I have two cats.")]
    assert [number for number, _ in bad(log)] == [2]


def test_given_an_over_long_agent_id_when_parsed_then_that_line_is_reported_and_the_others_kept() -> None:
    log = parsed(message("I live in Lisbon.", agent_id="a" * 200), message("I have two cats.", agent_id="planner"))
    assert bad(log) == [(1, "agent_id must be at most 128 characters.")]
    assert kept(log) == [(2, "I have two cats.")] and log.lines[0].agent_id == "planner"


def test_given_a_document_wide_agent_id_that_is_invalid_when_parsed_then_every_message_is_reported() -> None:
    document = {"agent_id": "bad\nagent", "messages": [{"role": "user", "content": "I live in Lisbon."}]}
    log = parse(json.dumps(document).encode(), ALICE)
    assert kept(log) == [] and [number for number, _ in bad(log)] == [1]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("content", "I live in \ud800 Lisbon.", "content is not valid Unicode"),
        ("agent_id", "planner\udfff", "agent_id is not valid Unicode"),
        ("id", "msg-\ud800", "id is not valid Unicode"),
        ("id", "  ", "id must not be blank"),
    ],
)
def test_given_an_unusable_string_when_parsed_then_that_line_is_reported(field: str, value: str, reason: str) -> None:
    fields = {"role": "user", "content": "I have two cats.", field: value}
    log = parsed(json.dumps(fields), message("I play chess."))  # json.dumps writes lone surrogates as \\u escapes
    assert [number for number, _ in bad(log)] == [1] and reason in bad(log)[0][1]
    assert kept(log) == [(2, "I play chess.")]


def test_given_a_line_naming_someone_else_with_a_huge_value_when_parsed_then_the_rejection_reason_stays_short() -> None:
    with pytest.raises(RejectedLog) as rejected:
        parsed(message("I live in Rome.", user_id="x" * 60_000))
    assert len(rejected.value.detail) < 200 and "does not match" in rejected.value.detail


def test_given_a_key_that_is_not_utf8_when_addressed_then_it_is_rejected() -> None:
    from agent_memory.domain.conversation_log import address_of

    with pytest.raises(RejectedLog, match="not valid UTF-8"):
        address_of("conversations/acme/alice/g_\udcff.jsonl")


def test_given_a_pretty_printed_document_when_parsed_then_it_is_still_one_document() -> None:
    messages = [{"role": "user", "content": "I live in Lisbon."}]
    document = json.dumps({"user_id": "alice", "messages": messages}, indent=2)
    assert kept(parse(document.encode(), ALICE)) == [(1, "I live in Lisbon.")]


def test_given_a_broken_pretty_printed_document_when_parsed_then_the_file_is_rejected() -> None:
    document = '{\n  "user_id": "alice"\n  "messages": []\n}'
    with pytest.raises(RejectedLog, match="not JSON"):
        parse(document.encode(), ALICE)


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 1_000_000,
        b"{" * 1_000_000,
        b'{"a":' * 200_000,
        b"[" * 100_000 + b"\n" + b"]" * 100_000,
        b'"' + b"\\" * 100_001,
        b"9" * 100_000,
        b"-" + b"9" * 100_000 + b"\n" + message("hi").encode(),
        b"\xef\xbb\xbf" + b"[" * 100_000,
        ("\u2028" * 1000).encode(),
    ],
)
def test_given_hostile_bytes_when_parsed_then_only_a_result_or_a_rejection_comes_back(data: bytes) -> None:
    try:
        log = parse(data, ALICE)
    except RejectedLog:
        return
    assert log.lines == [] or all(line.message.content for line in log.lines)
