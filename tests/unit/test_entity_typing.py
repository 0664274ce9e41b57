"""The local entity typer and relation rules on hand-written memories (none taken from benchmarks/knowledge)."""

from __future__ import annotations

import pytest

from agent_memory.adapters.local.curator_words import americanise
from agent_memory.adapters.local.entity_typing import TYPES, lookup, recognise, recognise_all
from agent_memory.adapters.local.relation_rules import relations_in
from agent_memory.adapters.local.rules_curator import RulesCurator


def typed(text: str) -> set[tuple[str, str]]:
    return {(m.name, m.type) for m in recognise(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moved to Gdansk with his brother Tomasz", {("Gdansk", "place"), ("Tomasz", "person")}),
        ("Writes Kotlin at work, Spring Boot for the services", {("Kotlin", "language"), ("Spring Boot", "framework")}),
        (
            "Deploys with Helm onto Kubernetes and codes in Go",
            {("Helm", "tool"), ("Kubernetes", "tool"), ("Go", "language")},
        ),
        ("Builds dashboards in Django and Svelte", {("Django", "framework"), ("Svelte", "framework")}),
        ("Her parrot Kiwi is 12 and hates thunder", {("Kiwi", "animal")}),
        ("Has a border collie named Juniper", {("Juniper", "animal")}),
        ("Allergic to hazelnuts and horses", {("hazelnuts", "food"), ("horses", "animal")}),
        ("Eats paella most Fridays in Valencia", {("paella", "food"), ("Fridays", "date"), ("Valencia", "place")}),
        (
            "Nurse at Leeds General Infirmary since 2015",
            {("Leeds General Infirmary", "organization"), ("2015", "date")},
        ),
        ("Flying to Lagos for Easter", {("Lagos", "place"), ("Easter", "event")}),
        ("Training for the Berlin Marathon in September", {("Berlin Marathon", "event"), ("September", "date")}),
        ("Takes ibuprofen for her arthritis", {("ibuprofen", "product"), ("arthritis", "concept")}),
        ("Keeps her budget in YNAB on a MacBook Air", {("YNAB", "tool"), ("MacBook Air", "product")}),
        ("Her favourite cuisine is Ethiopian, injera above all", {("Ethiopian", "food"), ("injera", "food")}),
        ("speaks tagalog and a little japanese", {("tagalog", "language"), ("japanese", "language")}),
        ("Supports Celtic, goes to every home game", {("Celtic", "organization")}),
        ("Played chess at the Marshall Chess Club", {("chess", "concept"), ("Marshall Chess Club", "organization")}),
        # Names no gazetteer holds, typed by the words around them
        ("Has two goats, Pepper and Sage", {("Pepper", "animal"), ("Sage", "animal")}),
        ("Walks along Loch Tay on Sundays", {("Loch Tay", "place"), ("Sundays", "date")}),
        ("Hiked the Overland Trail last spring", {("Overland Trail", "place")}),
        ("Interned at KB Tbilisi after college", {("KB Tbilisi", "organization")}),
        ("Speaks Kinyarwanda at home", {("Kinyarwanda", "language")}),
        ("Drives an old Zastava to the market", {("Zastava", "product")}),
        ("Cashier at a Walmart in Tulsa", {("Walmart", "organization"), ("Tulsa", "place")}),
        ("Her girlfriend Oyelaran paints murals", {("Oyelaran", "person")}),
        ("Walks up Tibidabo hill at dawn", {("Tibidabo", "place")}),
        ("Lives in a cabin outside Whitehorse", {("Whitehorse", "place")}),
        ("Her husband teaches chemistry at UNB", {("chemistry", "concept"), ("UNB", "organization")}),
        ("Pays the rent by Venmo", {("Venmo", "tool")}),
        ("Wants to run the Klondike Quest one day", {("Klondike Quest", "event")}),
        ("Has been a Kalev season ticket holder since 2015", {("Kalev", "organization"), ("2015", "date")}),
    ],
)
def test_entities_get_types_from_gazetteers_shape_and_context(text: str, expected: set[tuple[str, str]]) -> None:
    assert typed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tracks her runs with Runkeeper", {("Runkeeper", "tool")}),
        ("Keeps the family calendar in Cozi", {("Cozi", "tool")}),
        ("Uses Pocket Casts for podcasts", {("Pocket Casts", "tool")}),
        ("Plays chess online on Chess.com", {("chess", "concept"), ("Chess.com", "tool")}),
        ("Builds dashboards in Looker Studio", {("Looker Studio", "tool")}),
        ("Writes Elixir and Phoenix LiveView", {("Elixir", "language"), ("Phoenix LiveView", "framework")}),
        ("Walks Pixel the whippet every morning", {("Pixel", "animal")}),
        ("Loves Ethiopian food, especially injera", {("Ethiopian food", "food"), ("injera", "food")}),
        ("Dreams of visiting Patagonia and Tierra del Fuego", {("Patagonia", "place"), ("Tierra del Fuego", "place")}),
        ("The kids go to Riverside Primary", {("Riverside Primary", "organization")}),
        ("Wants the API docs in Markdown", {("Markdown", "language")}),
        ("Plans budgets in YNAB and invests through Vanguard", {("YNAB", "tool"), ("Vanguard", "organization")}),
        ("Employed by the NHS as a nurse", {("NHS", "organization")}),
        ("Is an SRE at Monzo", {("Monzo", "organization")}),
    ],
)
def test_given_an_unknown_name_when_typed_then_the_verb_before_it_its_shape_and_its_neighbours_decide(
    text: str, expected: set[tuple[str, str]]
) -> None:
    assert typed(text) == expected


def test_common_words_and_grammar_capitals_are_not_entities() -> None:
    assert typed("Has started going to the gym again") == set()
    assert typed("Rent is due on the first, a WG room is cheap") == set()
    assert typed("Doesn't like it when the go-to answer is long") == set()  # "go" only counts capitalised


def test_a_given_name_that_is_also_a_city_is_a_person_without_a_place_cue() -> None:
    assert typed("Sofia plays the violin") == {("Sofia", "person")}
    assert typed("Spent a week in Sofia") == {("Sofia", "place")}


def test_given_a_word_that_is_also_ordinary_english_when_capitalised_then_its_proper_reading_else_its_common_one() -> (
    None
):
    assert typed("Spent a month in Turkey") == {("Turkey", "place")}
    assert typed("Roasts a turkey every winter") == {("turkey", "food")}
    assert typed("Runs background jobs on Celery") == {("Celery", "framework")}
    assert typed("hates celery in everything") == {("celery", "food")}
    assert typed("the go-to answer") == set()


def test_a_pet_named_in_one_memory_keeps_its_type_in_another_of_the_same_user() -> None:
    first, second = recognise_all(["Adopted a tabby called Noodle", "Noodle is 2 and sleeps all day"])
    assert [(m.name, m.type) for m in first] == [("Noodle", "animal")]
    assert [(m.name, m.type) for m in second] == [("Noodle", "animal")]


def test_lookup_is_case_insensitive_and_plural_tolerant_for_foods_only() -> None:
    assert lookup("Avocados") == "food" and lookup("PostgreSQL") == "tool" and lookup("Goes") is None
    assert set(TYPES) >= {"person", "place", "organization", "product"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Valencia with my husband Pau", {("user", "lives_in", "Valencia"), ("user", "family_of", "Pau")}),
        (
            "Works as a backend developer at Mercado Libre",
            {("user", "works_as", "backend developer"), ("user", "works_at", "Mercado Libre")},
        ),
        (
            "Her brother Kwame lives in Accra and works for Ecobank",
            {("user", "family_of", "Kwame"), ("Kwame", "lives_in", "Accra"), ("Kwame", "works_at", "Ecobank")},
        ),
        (
            "Speaks Polish, Czech and English",
            {("user", "speaks", "Polish"), ("user", "speaks", "Czech"), ("user", "speaks", "English")},
        ),
        ("Learning Japanese on Anki", {("user", "learning", "Japanese"), ("user", "uses", "Anki")}),
        ("Hill farmer near Brecon", {("user", "works_as", "Hill farmer")}),
        ("Works as a court interpreter", {("user", "works_as", "court interpreter")}),
        ("Has a dachshund named Pretzel", {("user", "has_pet", "Pretzel")}),
        ("allergic to peanuts", {("user", "allergic_to", "peanuts")}),
        ("Can't stand olives", {("user", "dislikes", "olives")}),
        ("Visited Hanoi and Hoi An last spring", {("user", "visited", "Hanoi"), ("user", "visited", "Hoi An")}),
        ("Wants to visit Patagonia next year", {("user", "plans_to_visit", "Patagonia")}),
        ("Originally from Porto, moved to Lyon in 2020", {("user", "born_in", "Porto"), ("user", "lives_in", "Lyon")}),
        ("Prefers Svelte over React", {("user", "prefers", "Svelte")}),
        ("Plays tennis on Saturdays", {("user", "likes", "tennis")}),
        ("Has been vegan since 2019", {("user", "prefers", "vegan")}),
        ("Her flatmate Ines studies law", {("user", "friend_of", "Ines"), ("Ines", "studies", "law")}),
        ("Her parents still live in Cork", set()),
        # other phrasings of the same predicates
        ("Has a severe allergy to shellfish", {("user", "allergic_to", "shellfish")}),
        ("Penicillin allergy", {("user", "allergic_to", "Penicillin")}),
        ("Can't eat peanuts, she's allergic", {("user", "allergic_to", "peanuts")}),
        ("Reacts badly to ibuprofen", {("user", "allergic_to", "ibuprofen")}),
        ("Picking up Italian through evening classes", {("user", "learning", "Italian")}),
        ("Has been teaching himself Rust", {("user", "learning", "Rust")}),
        ("Brushing up on SQL for interviews", {("user", "learning", "SQL")}),
        ("Backpacked around Peru in 2019", {("user", "visited", "Peru")}),
        ("Honeymooned in Santorini", {("user", "visited", "Santorini")}),
        ("Off to Marrakech in April", {("user", "plans_to_visit", "Marrakech")}),
        ("Hopes to visit Chile someday", {("user", "plans_to_visit", "Chile")}),
        ("Obsessed with bouldering", {("user", "likes", "bouldering")}),
        ("Keen on cricket and rugby", {("user", "likes", "cricket"), ("user", "likes", "rugby")}),
        ("Her home is in Valencia", {("user", "lives_in", "Valencia")}),
        ("Employed by Deutsche Bank", {("user", "works_at", "Deutsche Bank")}),
        ("Teaches at Westfield Academy", {("user", "works_at", "Westfield Academy")}),
        ("Her mother tongue is Polish", {("user", "speaks", "Polish")}),
        ("Her sister is keen on tennis", set()),
    ],
)
def test_relations_name_the_user_or_the_person_the_fact_is_about(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert set(relations_in(text)) == expected


def test_given_memories_when_the_curator_reports_relations_then_each_memory_has_its_triples() -> None:
    assert RulesCurator().relations(["Lives in Oslo", "Hello there"]) == [(("user", "lives_in", "Oslo"),), ()]


def test_given_two_memories_when_the_curator_reads_their_knowledge_then_relations_join_the_user_to_entities() -> None:
    (oslo_entities, oslo_relations), nothing = RulesCurator().knowledge(["Lives in Oslo", "Hello there"])
    assert [(r.subject.id, r.predicate, r.object.id) for r in oslo_relations] == [("user", "lives_in", "place:oslo")]
    assert oslo_relations[0].object in oslo_entities
    assert nothing == ((), ())


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("colour", "color"),
        ("favourites", "favorites"),
        ("organised", "organized"),
        ("customising", "customizing"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("travelled", "traveled"),
        ("catalogue", "catalog"),
        ("grey", "gray"),
        ("paediatrician", "pediatrician"),
        ("hour", "hour"),
        ("four", "four"),
        ("rise", "rise"),
    ],
)
def test_british_spellings_become_american_and_other_words_stay(british: str, american: str) -> None:
    assert americanise(british) == american
