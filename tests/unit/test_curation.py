"""The rules curator's judgements, how optimize plans its changes, and clustering, on plain inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.curation import MergeAction, MergeDecision, canonical, same_content
from agent_memory.domain.models import Memory, Source
from agent_memory.services.clusters import kmeans
from agent_memory.services.jobs.optimize import candidate_pairs, exact_duplicates, pair_key, planned_change

curator = RulesCurator()


@pytest.mark.parametrize(
    ("older", "newer", "action"),
    [
        ("Likes tea.", "likes tea", MergeAction.MERGE),
        ("Likes hiking in the Alps", "Really likes hiking in the Alps", MergeAction.MERGE),
        ("Lives in Berlin", "Lives in Berlin.", MergeAction.MERGE),
        ("Lives in Berlin", "Moved to Munich", MergeAction.SUPERSEDE),
        ("Works at Acme", "Works at Globex", MergeAction.SUPERSEDE),
        ("Their favourite colour is blue", "Their favourite colour is green", MergeAction.SUPERSEDE),
        ("Likes coffee", "Does not like coffee anymore", MergeAction.SUPERSEDE),
        ("Is 34 years old", "Is 35", MergeAction.SUPERSEDE),
        ("Likes tea", "Likes coffee", MergeAction.KEEP_BOTH),
        ("Has a dog named Rex", "Plays tennis on weekends", MergeAction.KEEP_BOTH),
        ("Their favourite colour is blue", "Their favourite food is pasta", MergeAction.KEEP_BOTH),
    ],
)
def test_rules_decide_how_two_memories_relate(older: str, newer: str, action: MergeAction) -> None:
    assert curator.decide_merge(older, newer).action is action


@pytest.mark.parametrize(
    ("older", "newer", "action"),
    [
        # British and American spellings, and typos of common words, say the same thing
        ("Their favourite flavour is mango", "Their favorite flavor is mango", MergeAction.MERGE),
        ("Organises the office book club", "Organizes the office book club", MergeAction.MERGE),
        ("Keeps a grey cat called Smudge", "Keeps a gray cat called Smudge", MergeAction.MERGE),
        ("Goes kayaking on the weekend", "Goes kayakking on the weekend", MergeAction.MERGE),
        ("Hates olives", "Can't stand olives", MergeAction.MERGE),
        # moves and changed values replace the older fact
        ("I live in Porto", "I moved to Lyon last year, I live in Lyon now", MergeAction.SUPERSEDE),
        ("Lives in Kraków", "Moved to Gdansk for a new job", MergeAction.SUPERSEDE),
        ("Has 2 cats", "Has 3 cats now", MergeAction.SUPERSEDE),
        ("Planning to adopt a puppy", "Adopted a puppy named Bolt", MergeAction.SUPERSEDE),
        ("Mum is called Irene", "Actually his mum is called Irena", MergeAction.SUPERSEDE),
        # a neighbouring fact, an added one, or a corrected name typo-close is not a spelling merge
        ("Likes pierogi", "Doesn't like borscht", MergeAction.KEEP_BOTH),
        ("Trying to drink less soda", "Trying to drink less coffee too", MergeAction.KEEP_BOTH),
        ("Allergic to pollen", "Allergic to penicillin", MergeAction.KEEP_BOTH),
        # the same words about two relatives are two facts; a side of the body is no departure
        ("Calls her sister in Tartu every Sunday", "Calls her mother in Tartu every Sunday", MergeAction.KEEP_BOTH),
        ("Had knee surgery on his right leg", "The left leg is next, booked for May", MergeAction.KEEP_BOTH),
        # a corrected value, even when the correction repeats the older words around it; a count "up to" a number
        (
            "Married to Ilmar, who teaches history at TLU",
            "Ilmar teaches music at TLU, not history",
            MergeAction.SUPERSEDE,
        ),
        (
            "Had his left hip replaced in 2022",
            "It was the right hip they replaced, not the left",
            MergeAction.SUPERSEDE,
        ),
        ("Prefers being called Kasia rather than Katarzyna", "Call her Kasia, not Katarzyna", MergeAction.MERGE),
        ("Keeps 6 hives behind the barn", "The apiary is up to 9 hives", MergeAction.SUPERSEDE),
        ("In his 11th season with the choir", "Singing his 12th season with the choir", MergeAction.SUPERSEDE),
        # ages, diets, promotions, finished things, favourites, counts and named people change one value; other
        # words for the same thing (inflections, remote/from home, film/movie, NYC, a job said two ways) merge
        ("Is 34 years old", "Turned 35 last week", MergeAction.SUPERSEDE),
        ("Is vegetarian", "Is vegan now", MergeAction.SUPERSEDE),
        ("Software engineer at Acme", "Got promoted to senior engineer at Acme", MergeAction.SUPERSEDE),
        ("Reading Dune", "Finished reading Dune", MergeAction.SUPERSEDE),
        ("Favourite band is Blur", "Her favourite band is Oasis", MergeAction.SUPERSEDE),
        ("Has one sister", "Has two sisters", MergeAction.SUPERSEDE),
        ("Her boss is called Dana", "Her boss is called Dina, not Dana", MergeAction.SUPERSEDE),
        ("Loves hiking", "Really enjoys going on hikes", MergeAction.MERGE),
        ("Works from home on Fridays", "Works remotely on Fridays", MergeAction.MERGE),
        ("Favourite film is Alien", "Her favorite movie is Alien", MergeAction.MERGE),
        ("Lives in New York City", "Lives in NYC", MergeAction.MERGE),
        ("Is a nurse", "Works as a nurse", MergeAction.MERGE),
        ("Doesn't eat meat", "Is vegetarian", MergeAction.MERGE),
        ("Is vegetarian", "Her husband is not vegetarian", MergeAction.KEEP_BOTH),
        ("Is a teacher", "Is a big fan of jazz", MergeAction.KEEP_BOTH),
        ("Has a cat", "Has a dog", MergeAction.KEEP_BOTH),
        # an outcome replaces the state that awaited it; one of two exclusive values replaces the other; a fact about
        # a relative is not the user's
        ("Wants a dog", "Got a dog called Biscuit", MergeAction.SUPERSEDE),
        ("Interviewing at Stripe", "Accepted an offer from Stripe", MergeAction.SUPERSEDE),
        ("Learning to drive", "Passed her driving test", MergeAction.SUPERSEDE),
        ("Is pregnant with their first child", "Had a baby girl, Maya, in May", MergeAction.SUPERSEDE),
        ("Has been sober for six months", "Has been sober for a year", MergeAction.SUPERSEDE),
        ("Works part-time at the library", "Works full-time at the library", MergeAction.SUPERSEDE),
        ("Is single", "Got married in June", MergeAction.SUPERSEDE),
        ("Her partner is Alex", "She and Alex split up", MergeAction.SUPERSEDE),
        ("Trying to read more books", "Got a Kindle for her birthday", MergeAction.KEEP_BOTH),
        ("Has a flat in Leith", "Her sister has a flat in Leith", MergeAction.KEEP_BOTH),
        ("Her brother lives in Leeds", "Lives in Leeds", MergeAction.KEEP_BOTH),
        ("Mum lives in Cork", "Her mother lives in Cork", MergeAction.MERGE),
        # a name set before its relative in commas: the fact is the relative's
        ("Lives in Leeds", "Tom, her brother, lives in Leeds", MergeAction.KEEP_BOTH),
        ("Her brother Tom lives in Leeds", "Tom, her brother, lives in Leeds", MergeAction.MERGE),
        # an end, a death, a disposal, a transfer or a return said in other words replaces the older fact
        ("Plays in a Sunday football league", "No more Sunday league, his knees gave out", MergeAction.SUPERSEDE),
        ("Has a hamster called Nibbles", "Nibbles was put to sleep last week", MergeAction.SUPERSEDE),
        ("Captain of the netball team", "Stepped down as netball captain", MergeAction.SUPERSEDE),
        ("On a fixed-term contract with the council", "The council contract ended in June", MergeAction.SUPERSEDE),
        ("Drives a Honda Civic", "Traded in the Civic for an electric Kia", MergeAction.SUPERSEDE),
        ("Teaches maths at Oakfield Primary", "Transferred to Hillside Primary after Easter", MergeAction.SUPERSEDE),
        ("Volunteers at the food bank", "Taking a break from the food bank for now", MergeAction.SUPERSEDE),
        ("Flying to Nairobi next week for a summit", "Back from Nairobi, it went well", MergeAction.SUPERSEDE),
        # a denial of the older fact itself, with the right value or a list beside it
        ("Lives in Leeds", "Does not live in Leeds, but in York", MergeAction.SUPERSEDE),
        ("Likes coffee", "Does not like coffee or tea", MergeAction.SUPERSEDE),
        # a negated perfect with a start or a span: the habit stopped
        ("Swims at the lido every morning", "Hasn't swum at the lido since the knee operation", MergeAction.SUPERSEDE),
        ("Smokes about ten a day", "Hasn't smoked in two years", MergeAction.SUPERSEDE),
        # "X, not Y" corrects the older Y when the two say more in common than Y
        ("Her nephew studies in Glasgow", "Her nephew studies in Dundee, not Glasgow", MergeAction.SUPERSEDE),
        ("Has a dog", "Wants a cat, not a dog", MergeAction.KEEP_BOTH),
        ("His dad is a plumber", "Correction: his dad is an electrician", MergeAction.SUPERSEDE),
        # "now" with an activity in progress, or with "also", adds a fact rather than changing one
        ("Paints landscapes in watercolour", "Now painting a portrait of her niece", MergeAction.KEEP_BOTH),
        ("Writes Java at work", "Now also writes some Scala", MergeAction.KEEP_BOTH),
        # a named person's relative is neither that person nor the user
        ("Engaged to Priya", "Priya's brother got engaged in May", MergeAction.KEEP_BOTH),
        # eating anything is a diet a newer diet replaces
        ("Eats just about anything", "Went vegetarian in the spring", MergeAction.SUPERSEDE),
        # idioms of liking, wishes, lessons, clipped words, agent nouns, closed compounds and adjectives of a noun
        ("Crazy about Thai green curry", "Can't get enough of Thai green curry", MergeAction.MERGE),
        ("Would love to see Patagonia someday", "Hopes to visit Patagonia one day", MergeAction.MERGE),
        ("Taking Italian lessons", "Learning Italian", MergeAction.MERGE),
        ("Biology teacher at Kingsway Academy", "Teaches bio at Kingsway Academy", MergeAction.MERGE),
        ("Keeps a day book of expenses", "Keeps a daybook of expenses", MergeAction.MERGE),
        ("Has asthma and carries an inhaler", "Asthmatic, carries an inhaler", MergeAction.MERGE),
    ],
)
def test_given_two_memories_when_one_says_the_other_again_or_changes_its_value_then_merge_or_supersede(
    older: str, newer: str, action: MergeAction
) -> None:
    assert curator.decide_merge(older, newer).action is action


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        # someone else's fact: a colleague's home, a boss's diet
        ("Lives in Paris", "Her colleague Marc lives in Paris"),
        ("Lives in New York", "Her sister lives in New York"),
        ("Works at Goldman Sachs", "Her father worked at Goldman Sachs for 30 years"),
        ("Is vegetarian", "Her boss is vegan"),
        # denying a narrower fact
        ("Lives in London", "Does not live in central London"),
        # numbers that count other things, or other people
        ("Her son Leo is 8", "Her son Sam is 12"),
        ("Drinks 3 cups of coffee a day", "Drinks 2 litres of water a day"),
        ("Owns 2 cars", "Owns 3 bicycles"),
        # a plan is not carried out by doing something else
        ("Wants to learn Italian", "Learned French at school"),
        # a one-value fact held once, beside the other, or only wished for
        ("Lives in Manchester", "Lived in Glasgow as a student"),
        ("Works at Nike", "Freelances for Adidas on the side"),
        ("Lives in Toronto", "Would love to live in Vancouver one day"),
    ],
)
def test_given_two_true_facts_that_look_like_one_changed_when_compared_then_both_are_kept(
    older: str, newer: str
) -> None:
    # A wrong merge or supersession would hide a true fact of the user from recall
    assert curator.decide_merge(older, newer).action is MergeAction.KEEP_BOTH


def test_given_two_memories_stating_the_same_relation_about_the_same_place_when_compared_then_they_merge() -> None:
    decision = curator.decide_merge("Would like to visit Kyoto before she turns forty", "Keen to visit Kyoto")
    assert decision.action is MergeAction.MERGE


def test_canonical_ignores_case_punctuation_and_spacing_only() -> None:
    assert canonical("  Likes   TEA!! ") == canonical("likes tea") == "likes tea"
    assert canonical("Likes tea") != canonical("Likes teas")


def test_rules_label_a_cluster_by_its_lexicon_topic_else_its_commonest_word() -> None:
    assert curator.label_topic(["Plays tennis", "Goes hiking on Sundays", "Likes running"]) == "hobbies"
    assert curator.label_topic(["Zorblat reviews", "Zorblat sketches are blue"]) == "zorblat"


def test_rules_find_entities_in_third_person_memories() -> None:
    (berlin,), found = curator.entities(["Lives in Berlin", "Their sister Anna works at Google"])
    assert (berlin.name, berlin.type, berlin.id) == ("Berlin", "place", "place:berlin")
    assert {(e.name, e.type) for e in found} == {("Anna", "person"), ("Google", "organization")}


def test_rules_summarise_a_thread_from_what_the_user_said() -> None:
    summary = curator.summarize(
        [Message(Role.USER, "I'm planning a trip to Japan. I love sushi."), Message(Role.ASSISTANT, "I love ramen!")]
    )
    assert summary.startswith("Conversation of 2 messages about")
    assert "Loves sushi" in summary and "ramen" not in summary


def memory(index: int, content: str) -> Memory:
    moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=index)
    return Memory(f"M{index:03d}", "t", "u", content, Source.API, moment, moment)


def test_candidate_pairs_are_each_memorys_closest_above_the_threshold() -> None:
    vectors = np.array([[1, 0], [0.8, 0.6], [0, 1], [-1, 0]], dtype=np.float32)
    pairs = candidate_pairs(vectors)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 2)]
    assert pairs[0][2] == pytest.approx(0.8)


def test_exact_duplicates_keep_the_longest_wording_and_merge_the_others_in_id_order() -> None:
    memories = [
        memory(0, "Lives in Berlin"),
        memory(1, "likes tea"),
        memory(2, "Likes tea!"),
        memory(3, "LIKES TEA"),
    ]

    changes = exact_duplicates(memories)

    assert [(c.action, memories[c.survivor].id, memories[c.retired].id, c.content) for c in changes] == [
        (MergeAction.MERGE, "M002", "M001", None),  # the longer wording is kept
        (MergeAction.MERGE, "M002", "M003", None),
    ]


def test_a_supersession_keeps_the_newer_fact() -> None:
    memories = [memory(0, "Lives in Berlin"), memory(1, "Lives in Munich")]
    decision = curator.decide_merge(memories[0].content, memories[1].content)

    change = planned_change(memories, decision, 0, 1, 0.9)

    assert change is not None
    assert (change.action, memories[change.survivor].id, memories[change.retired].id) == (
        MergeAction.SUPERSEDE,
        "M001",
        "M000",
    )


def test_a_merge_keeps_the_memory_whose_words_the_curator_chose() -> None:
    memories = [memory(0, "Likes hiking in the Alps"), memory(1, "Really likes hiking in the Alps")]
    decision = curator.decide_merge(memories[0].content, memories[1].content)

    change = planned_change(memories, decision, 0, 1, 0.9)

    assert change is not None
    assert (change.action, memories[change.survivor].id, memories[change.retired].id, change.content) == (
        MergeAction.MERGE,
        "M001",
        "M000",
        None,
    )


@pytest.mark.parametrize(
    ("merged", "kept", "content"),
    [
        ("really likes hiking in the alps", "M001", "really likes hiking in the alps"),  # the newer's, other case
        ("Really   likes hiking in the Alps", "M001", "Really   likes hiking in the Alps"),  # other spacing
        ("likes hiking in the alps", "M000", "likes hiking in the alps"),  # the older's, other case
        ("Loves hiking in the Alps", "M000", "Loves hiking in the Alps"),  # new words: the older takes them
    ],
)
def test_given_merged_words_that_normalise_to_one_memorys_content_then_that_memory_is_kept(
    merged: str, kept: str, content: str
) -> None:
    # Given: a merge whose words are, once normalised, one of the two memories' contents
    memories = [memory(0, "Likes hiking in the Alps"), memory(1, "Really likes hiking in the Alps")]
    decision = MergeDecision(MergeAction.MERGE, "same fact", merged_content=merged)

    # When: the change is planned
    change = planned_change(memories, decision, 0, 1, 0.9)

    # Then: the memory already holding that content is the one kept (it keeps its content key; the retired one
    # keeps its own), so no transaction writes one content key for two memories
    assert change is not None
    assert memories[change.survivor].id == kept and change.content == content
    assert not same_content(change.content, memories[change.retired].content)


def test_pair_keys_order_pairs_closest_first_and_survive_a_reload() -> None:
    memories = [memory(0, "a"), memory(1, "b"), memory(2, "c")]
    pairs = [(0, 1, 0.5), (1, 2, 0.9), (0, 2, 0.9)]

    ordered = sorted(pairs, key=lambda pair: pair_key(memories, pair))

    assert ordered == [(0, 2, 0.9), (1, 2, 0.9), (0, 1, 0.5)]
    reloaded = memories[1:]  # "a" retired: positions shift, keys do not
    assert pair_key(reloaded, (0, 1, 0.9)) == pair_key(memories, (1, 2, 0.9))


def test_kmeans_is_deterministic_and_separates_clear_groups() -> None:
    rng = np.random.default_rng(1)
    group_a = rng.normal([1, 0, 0], 0.05, size=(20, 3))
    group_b = rng.normal([0, 1, 0], 0.05, size=(20, 3))
    vectors = np.vstack([group_a, group_b]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    labels = kmeans(vectors, 2)

    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1 and labels[0] != labels[20]
    assert (kmeans(vectors, 2) == labels).all()
