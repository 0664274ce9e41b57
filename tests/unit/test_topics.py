"""The life-topic classifier and the topic grouping behind clusters and the optimize job, on hand-written memories
(none taken from benchmarks/knowledge)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from agent_memory.adapters.local.embedders import HashingEmbedder
from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.models import Memory, Source
from agent_memory.domain.topics import life_topic, life_topics, stem
from agent_memory.services.clusters import partition

SAID = [
    ("work", "Got promoted to team lead at a logistics firm last month"),
    ("work", "Works night shifts as a paramedic in Glasgow"),
    ("food", "Can't get enough of Korean fried chicken"),
    ("food", "Gave up red meat but still eats chicken"),
    ("health", "Was diagnosed with coeliac disease in 2020"),
    ("health", "Tore his ACL skiing and is doing rehab"),
    ("family", "Grandma Rose lives with them now"),
    ("family", "Twins started nursery this week"),
    ("pets", "Wants to adopt a second cat"),
    ("pets", "Buster needs his flea treatment monthly"),
    ("travel", "Booked flights to Lima for the spring"),
    ("travel", "Always gets an aisle seat on long-haul flights"),
    ("hobbies", "Plays five-a-side football on Wednesdays"),
    ("hobbies", "Watches every Formula 1 race"),
    ("technology", "Switched from Vim to VS Code last year"),
    ("technology", "Writes most backend services in Go"),
    ("education", "Doing an evening course in accounting"),
    ("education", "Learning Japanese with a tutor twice a week"),
    ("finance", "Pays 1,200 dollars a month on the mortgage"),
    ("finance", "Invests in a global index fund through Vanguard"),
    ("home", "Just moved into a two-bed flat in Leith"),
    ("home", "Their landlord is raising the rent again"),
    ("preferences", "Likes replies in Spanish"),
    ("preferences", "Hates when answers start with a disclaimer"),
    ("food", "Orders Thai takeaway most Fridays"),  # "Thai" is a cuisine here, not the language
    ("education", "Speaks Thai with her grandmother"),
    ("health", "Sees a therapist every other week"),  # a job title is work only when it is the person's own
    ("health", "Broke her wrist snowboarding in January"),
    ("home", "The boiler broke again"),
    ("work", "Has a performance review next Tuesday"),
    # a relative after "with", "and" or "to" is company or a recipient; a relative's own job is about family
    ("home", "Lives in Bristol with her husband and their two sons"),
    ("finance", "Sends money to his parents in Manila every month"),
    ("family", "Her boyfriend Tom is a paramedic in Leeds"),
    ("family", "Their youngest starts school in September"),
    # the kind of thing a favourite is, an activity that is another topic's word, a verb that is not a job title
    ("food", "Her favourite meal is her dad's lasagne"),
    ("travel", "Spent a month backpacking across Chile"),
    ("food", "Cooks dal and rice most evenings"),
    ("home", "Rents a two-bedroom in Headingley"),
    ("home", "Shares a flat in Leith with two friends"),
    ("travel", "Taking the kids to Cornwall at half term"),
    ("work", "Drives a taxi in Lisbon at night"),
    ("work", "Runs her own little physio practice in Cork"),
    ("health", "Dairy makes him bloated"),
    ("health", "Trying to quit vaping"),
    ("health", "Her grandad had a hip operation"),
    ("hobbies", "Grows chillies and tomatoes on the balcony"),
]


@pytest.mark.parametrize(("topic", "text"), SAID, ids=[text for _, text in SAID])
def test_given_a_memory_when_classified_then_its_life_topic_comes_from_cue_words_names_and_phrases(
    topic: str, text: str
) -> None:
    assert life_topic(text) == topic


def test_given_a_name_introduced_as_a_relative_or_pet_when_another_memory_is_about_it_then_that_is_family_or_pets() -> (
    None
):
    texts = ["Lives in Leeds with her husband Tariq and their dog Pickle", "Tariq is a train driver", "Pickle is 7"]
    assert life_topics(texts) == ["home", "family", "pets"]
    assert life_topic("Tariq is a train driver") == "work"  # alone, nothing says Tariq is family


def test_given_a_memory_with_no_cue_when_classified_then_it_has_no_topic() -> None:
    assert life_topic("Zorblat is blue") is None


def test_given_inflections_when_stemmed_then_they_meet() -> None:
    assert stem("moved") == stem("moving") == stem("moves") == stem("move")
    assert stem("studies") == stem("studied") == stem("study")


def memory(index: int, content: str, topics: tuple[str, ...] = ()) -> Memory:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return Memory(f"M{index:03d}", "t", "u", content, Source.API, moment, moment, topics=topics)


def grouped(contents: list[str], n: int | None, topics: dict[int, tuple[str, ...]] | None = None) -> list[list[str]]:
    memories = [memory(i, text, (topics or {}).get(i, ())) for i, text in enumerate(contents)]
    vectors = np.asarray(HashingEmbedder().embed(contents))
    return [[m.content for m in group] for group in partition(memories, vectors, n, HashingEmbedder.min_similarity)]


TOPICAL = [
    "Allergic to penicillin",
    "Takes metformin twice a day",
    "Has asthma and uses an inhaler",
    "Lives in Porto",
    "Rent is 900 euros",
    "Writes Python at work",
    "Uses PostgreSQL and Docker",
]


def test_given_memories_of_several_topics_when_partitioned_for_the_optimize_job_then_each_topic_is_one_group() -> None:
    groups = grouped(TOPICAL, None)
    assert sorted(map(sorted, groups)) == sorted(map(sorted, [TOPICAL[:3], TOPICAL[3:4], TOPICAL[4:5], TOPICAL[5:]]))
    assert grouped(TOPICAL, None) == groups  # deterministic


def test_given_more_topics_than_n_when_partitioned_then_the_smallest_groups_merge_until_n_remain() -> None:
    groups = grouped(TOPICAL, 3)
    assert len(groups) == 3 and sorted(c for g in groups for c in g) == sorted(TOPICAL)
    assert any(set(TOPICAL[:3]) <= set(group) for group in groups)  # the largest topic stays whole


def test_given_fewer_topics_than_n_when_partitioned_then_the_largest_group_is_split() -> None:
    groups = grouped(TOPICAL[:3], 2)
    assert len(groups) == 2 and sorted(c for g in groups for c in g) == sorted(TOPICAL[:3])


def test_given_memories_no_topic_fits_when_partitioned_then_they_join_a_close_group_or_are_grouped_apart() -> None:
    groups = grouped(["Lives in Porto", "Moved to Porto", "Porto in spring", "Zorblat is blue"], None)
    assert groups == [["Lives in Porto", "Moved to Porto", "Porto in spring"], ["Zorblat is blue"]]


def test_given_a_stored_life_topic_when_partitioned_then_it_wins_over_the_content() -> None:
    groups = grouped(["Allergic to penicillin", "Takes metformin", "Penicillin trial notes"], None, {2: ("work",)})
    assert sorted(map(sorted, groups)) == [["Allergic to penicillin", "Takes metformin"], ["Penicillin trial notes"]]


def test_given_a_group_of_memories_when_the_rules_label_it_then_the_label_is_their_commonest_life_topic() -> None:
    assert RulesCurator().label_topic(["Allergic to penicillin", "Takes metformin", "Lives in Porto"]) == "health"
