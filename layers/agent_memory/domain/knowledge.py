"""Entities and relations as a memory states them, and the one JSON shape they are stored and exported in.

A relation's subject `user` is the memory's own user: the node every user's graph is centred on. Object names that
are no entity the memory names (a noun phrase such as "dark mode") become `concept` entities, so every relation joins
two nodes of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from agent_memory.domain import limits, validation
from agent_memory.domain.errors import InvalidInput
from agent_memory.domain.models import Entity, Relation

USER = Entity(id="user", name="user", type="person")
"""The graph's node for the memory's own user."""

_PREDICATE = re.compile(r"^[a-z][a-z0-9_]*$")

Triple = tuple[str, str, str]
Knowledge = tuple[tuple[Entity, ...], tuple[Relation, ...]]
"""What a memory's text names and states: its entities and its relations."""


def link(triples: Iterable[Triple], entities: Sequence[Entity]) -> tuple[Relation, ...]:
    """Relations from (subject, predicate, object) names, each name resolved to the memory's entity of that name."""
    by_name = {entity.name.casefold(): entity for entity in entities}
    found: dict[tuple[str, str, str], Relation] = {}
    for subject_name, predicate, object_name in triples:
        subject = USER if subject_name == USER.id else by_name.get(subject_name.casefold())
        subject = subject or Entity.named(subject_name, "person")
        target = by_name.get(object_name.casefold()) or Entity.named(object_name, "concept")
        if subject.id == target.id:
            continue
        found.setdefault((subject.id, predicate, target.id), Relation(subject, predicate, target))
    return tuple(found.values())[: limits.MAX_RELATIONS]


def union(*groups: Iterable[Relation]) -> tuple[Relation, ...]:
    merged: dict[tuple[str, str, str], Relation] = {}
    for group in groups:
        for relation in group:
            merged.setdefault((relation.subject.id, relation.predicate, relation.object.id), relation)
    return tuple(merged.values())[: limits.MAX_RELATIONS]


def checked(relations: Iterable[Relation]) -> tuple[Relation, ...]:
    """Relations within the documented limits (imported ones are checked like a client's input)."""
    values = tuple(relations)
    if len(values) > limits.MAX_RELATIONS:
        raise InvalidInput(f"at most {limits.MAX_RELATIONS} relations are allowed.")
    for relation in values:
        validation.entities((relation.subject, relation.object))
        if len(relation.predicate) > limits.MAX_PREDICATE_CHARS or not _PREDICATE.match(relation.predicate):
            raise InvalidInput(
                f"a relation's predicate is lowercase letters, digits and underscores, at most "
                f"{limits.MAX_PREDICATE_CHARS} characters."
            )
    return values


def fitted(found: Knowledge) -> Knowledge:
    """What a reader found, cut to the documented limits: a memory is never refused for what was read from it."""
    entities, relations = found

    def fits(entity: Entity) -> bool:
        try:
            validation.entities((entity,))
        except InvalidInput:
            return False
        return True

    kept = tuple(entity for entity in entities if fits(entity))[: limits.MAX_ENTITIES]
    stated = tuple(
        r
        for r in relations
        if fits(r.subject)
        and fits(r.object)
        and _PREDICATE.match(r.predicate)
        and len(r.predicate) <= limits.MAX_PREDICATE_CHARS
    )
    return kept, stated[: limits.MAX_RELATIONS]


def _entity_json(entity: Entity) -> dict[str, str]:
    return {"id": entity.id, "name": entity.name, "type": entity.type}


def to_json(relations: Iterable[Relation]) -> list[dict[str, Any]]:
    return [
        {"subject": _entity_json(r.subject), "predicate": r.predicate, "object": _entity_json(r.object)}
        for r in relations
    ]


def _entity_from(value: Any) -> Entity:
    if not isinstance(value, dict):
        raise InvalidInput("a relation's subject and object must be objects.")
    name, kind = value.get("name"), value.get("type")
    if not isinstance(name, str) or not isinstance(kind, str):
        raise InvalidInput("a relation's subject and object need a name and a type.")
    if value.get("id") == USER.id:
        return USER
    return Entity.named(name, kind)


def from_json(values: Any) -> tuple[Relation, ...]:
    """Relations from their stored or exported JSON (ids re-derived from name and type). Imports go through
    `checked` as well; stored rows were checked when written."""
    if values is None:
        return ()
    if not isinstance(values, list):
        raise InvalidInput("relations must be a list.")
    relations: list[Relation] = []
    for value in values:
        if not isinstance(value, dict) or not isinstance(value.get("predicate"), str):
            raise InvalidInput("each relation needs a subject, a predicate and an object.")
        subject, target = _entity_from(value.get("subject")), _entity_from(value.get("object"))
        relations.append(Relation(subject, value["predicate"], target))
    return tuple(relations)
