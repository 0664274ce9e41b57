"""The offline extractor on a table of conversations: the facts each must yield, and what must never be a fact."""

from __future__ import annotations

import pytest

from agent_memory.adapters.local.rules_extractor import RulesExtractor, conjugate, third_person
from agent_memory.domain.conversation import FactKind, Message, Role

EXTRACTOR = RulesExtractor()


def user(*texts: str) -> list[Message]:
    return [Message(Role.USER, text) for text in texts]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (["I prefer Python over JavaScript for backend development."],
         [("Prefers Python over JavaScript for backend development", FactKind.PREFERENCE)]),
        (["Actually I moved to Berlin last month."], [("Moved to Berlin last month", FactKind.CORRECTION)]),
        (["I no longer eat meat"], [("No longer eats meat", FactKind.CORRECTION)]),
        (["My wife Anna is a doctor. I'm allergic to peanuts!"],
         [("Their wife Anna is a doctor", FactKind.RELATIONSHIP), ("Is allergic to peanuts", FactKind.FACT)]),
        (["I'm going to visit Tokyo next spring"], [("Is going to visit Tokyo next spring", FactKind.PLAN)]),
        (["I work at Google as a backend engineer"], [("Works at Google as a backend engineer", FactKind.FACT)]),
        (["I don't like spicy food"], [("Does not like spicy food", FactKind.PREFERENCE)]),
        (["Hi! I really love hiking in the Alps. Thanks!"], [("Really loves hiking in the Alps", FactKind.PREFERENCE)]),
        (["btw I have two cats"], [("Has two cats", FactKind.FACT)]),
    ],
)  # fmt: skip
def test_first_person_statements_become_third_person_facts(said, expected) -> None:
    facts = EXTRACTOR.extract(user(*said))
    assert [(f.content, f.kind) for f in facts] == expected
    assert all(f.source_messages == (0,) for f in facts)


@pytest.mark.parametrize(
    "said",
    [
        "What language should I use?",
        "Hello there",
        "Thanks, that helps!",
        "Can you help me write an email",
        "I want you to summarise this article",
        "I think so",
        "Please book a table for two",
        "The weather is nice today.",
        "ok",
    ],
)
def test_questions_greetings_requests_and_small_talk_are_never_facts(said: str) -> None:
    assert EXTRACTOR.extract(user(said)) == []


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.SYSTEM, Role.TOOL])
def test_only_the_user_speaks_facts_about_the_user(role: Role) -> None:
    assert EXTRACTOR.extract([Message(role, "I love Java and I live in Paris.")]) == []


def test_each_fact_cites_the_message_it_came_from_and_repeats_collapse() -> None:
    messages = [
        Message(Role.USER, "Hi!"),
        Message(Role.ASSISTANT, "Hello, how can I help?"),
        Message(Role.USER, "I live in Lisbon. I live in Lisbon."),
    ]
    (fact,) = EXTRACTOR.extract(messages)
    assert fact.content == "Lives in Lisbon" and fact.source_messages == (2,)


def test_importance_valence_topics_and_entities() -> None:
    (allergy,) = EXTRACTOR.extract(user("I'm allergic to shellfish"))
    (dislike,) = EXTRACTOR.extract(user("I hate long meetings"))
    (tired,) = EXTRACTOR.extract(user("I'm so tired"))
    (language,) = EXTRACTOR.extract(user("I prefer Python over JavaScript"))
    (moved,) = EXTRACTOR.extract(user("Actually I moved to Berlin"))
    assert allergy.importance > language.importance > tired.importance
    assert tired.importance < 0.4  # a passing state: auto mode does not keep it
    assert dislike.valence < 0 < language.valence
    assert "health" in allergy.topics and "programming" in language.topics
    assert {(e.name, e.type) for e in language.entities} == {("Python", "language"), ("JavaScript", "language")}
    assert [(e.name, e.type) for e in moved.entities] == [("Berlin", "place")]


@pytest.mark.parametrize(
    ("verb", "third"),
    [("prefer", "prefers"), ("watch", "watches"), ("study", "studies"), ("play", "plays"), ("have", "has"),
     ("go", "goes"), ("moved", "moved"), ("went", "went")],
)  # fmt: skip
def test_conjugation(verb: str, third: str) -> None:
    assert conjugate(verb) == third


def test_pronouns_follow_the_subject() -> None:
    assert third_person("I told my sister about me and myself") == "Told their sister about them and themselves"
