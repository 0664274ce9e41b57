"""Knowledge quality of the local rules on the hand-labelled set in benchmarks/knowledge/: entity typing, relation
extraction, the curator's merge/supersede/keep decisions, and how well the product's clusters (the optimize job's
topic groups and `GET /v1/clusters`) recover the gold topic groups (purity)."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from agent_memory.adapters.local.embedders import build_embedder
from agent_memory.adapters.local.meaning_rules import MeaningScale, scale_for
from agent_memory.adapters.local.relation_rules import relations_in
from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.curation import MergeAction
from agent_memory.domain.models import Memory
from agent_memory.ports import Embedder

TENANT = "bench"
DECISIONS = {"merge": MergeAction.MERGE, "supersede": MergeAction.SUPERSEDE, "keep": MergeAction.KEEP_BOTH}
_ARTICLE = re.compile(r"^(the|a|an|her|his|their|my)\s+")


def _load(path: Path, split: str | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if split in {None, "all"} or row["split"] == split]


def _by_user(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    users: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        users[row["user_id"]].append(row)
    return users


def norm_object(value: str) -> str:
    """Relation objects compared without case, accents, articles or punctuation at the ends."""
    plain = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip(" .,;:!?'\"")
    return _ARTICLE.sub("", re.sub(r"\s+", " ", plain))


def entity_scores(memories: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    curator = RulesCurator()
    gold_total = found_total = matched = typed = 0
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []
    for rows in _by_user(memories).values():
        predicted = curator.entities([row["content"] for row in rows])
        for row, entities in zip(rows, predicted, strict=True):
            mine = {entity.name.casefold(): entity.type for entity in entities}
            gold = {entity["name"].casefold(): entity["type"] for entity in row["entities"]}
            gold_total += len(gold)
            found_total += len(mine)
            for name, kind in gold.items():
                per_type[kind]["gold"] += 1
                if name in mine:
                    matched += 1
                    per_type[kind]["found"] += 1
                    if mine[name] == kind:
                        typed += 1
                        per_type[kind]["typed"] += 1
                    else:
                        errors.append({"id": row["id"], "name": name, "gold": kind, "got": mine[name]})
                else:
                    errors.append({"id": row["id"], "name": name, "gold": kind, "got": None})
            errors.extend(
                {"id": row["id"], "name": name, "gold": None, "got": kind}
                for name, kind in mine.items()
                if name not in gold
            )
    scores = {
        "gold": gold_total,
        "found": found_total,
        "type_accuracy": typed / matched if matched else 0.0,
        "recall": matched / gold_total if gold_total else 0.0,
        "precision": matched / found_total if found_total else 0.0,
        "per_type_accuracy": {
            kind: round(c["typed"] / c["found"], 3) if c["found"] else None for kind, c in sorted(per_type.items())
        },
    }
    return scores, errors


def relation_scores(memories: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    true_positive = predicted_total = gold_total = 0
    per_predicate: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []
    for row in memories:
        gold = {(norm_object(r["subject"]), r["predicate"], norm_object(r["object"])) for r in row["relations"]}
        mine = {(norm_object(s), p, norm_object(o)) for s, p, o in relations_in(row["content"])}
        true_positive += len(gold & mine)
        predicted_total += len(mine)
        gold_total += len(gold)
        for triple in gold:
            per_predicate[triple[1]]["gold"] += 1
            per_predicate[triple[1]]["hit"] += triple in mine
        for triple in mine:
            per_predicate[triple[1]]["predicted"] += 1
        if gold != mine:
            errors.append({"id": row["id"], "missed": sorted(gold - mine), "extra": sorted(mine - gold)})
    precision = true_positive / predicted_total if predicted_total else 0.0
    recall = true_positive / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {
        "gold": gold_total,
        "predicted": predicted_total,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "per_predicate_recall": {
            p: round(c["hit"] / c["gold"], 3) if c["gold"] else None for p, c in sorted(per_predicate.items())
        },
    }
    return scores, errors


def pair_similarities(pairs: list[dict[str, Any]], model: Embedder) -> list[float]:
    """Cosine of each pair's two texts by the embedder, as the optimize job finds and hands them to the curator."""
    older = model.embed([pair["older"] for pair in pairs])
    newer = model.embed([pair["newer"] for pair in pairs])
    return [float(value) for value in (older * newer).sum(axis=1)]


def curator_scores(
    pairs: list[dict[str, Any]], similarities: list[float], meaning: MeaningScale | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    curator = RulesCurator(meaning)
    confusion: dict[str, Counter[str]] = {gold: Counter() for gold in DECISIONS}
    right = 0
    errors: list[dict[str, Any]] = []
    for pair, similarity in zip(pairs, similarities, strict=True):
        decision = curator.decide_merge(pair["older"], pair["newer"], similarity)
        got = next(name for name, action in DECISIONS.items() if action is decision.action)
        confusion[pair["decision"]][got] += 1
        if got == pair["decision"]:
            right += 1
        else:
            errors.append({"id": pair["id"], "kind": pair["kind"], "gold": pair["decision"], "got": got})
    scores = {
        "pairs": len(pairs),
        "second_reading": meaning is not None,
        "accuracy": right / len(pairs) if pairs else 0.0,
        "confusion": {gold: {got: row[got] for got in DECISIONS} for gold, row in confusion.items()},
    }
    return scores, errors


def purity(labels: list[int], gold: list[str]) -> float:
    """Share of memories whose cluster's commonest gold topic is their own."""
    clusters: dict[int, Counter[str]] = defaultdict(Counter)
    for label, topic in zip(labels, gold, strict=True):
        clusters[label][topic] += 1
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / len(gold) if gold else 0.0


def inverse_purity(labels: list[int], gold: list[str]) -> float:
    """Share of memories in the cluster that holds most of their gold topic: low when a topic is split apart (so
    purity cannot be bought by making many small clusters)."""
    topics: dict[str, Counter[int]] = defaultdict(Counter)
    for label, topic in zip(labels, gold, strict=True):
        topics[topic][label] += 1
    return sum(c.most_common(1)[0][1] for c in topics.values()) / len(gold) if gold else 0.0


def _labels(groups: list[list[Memory]], order: list[str]) -> list[int]:
    where = {memory.id: index for index, group in enumerate(groups) for memory in group}
    return [where[memory_id] for memory_id in order]


def cluster_scores(memories: list[dict[str, Any]], embedder: str) -> dict[str, Any]:
    """The product's clustering of each user's memories, through its own code: the memories are written through
    the memory service into a local store, then grouped the way the optimize job's topic step groups them
    (`partition` on the loaded corpus, as many groups as it finds), as `GET /v1/clusters` returns them with its
    default n, and with n = the number of gold topics the user has (what a perfect choice of n could reach)."""
    from agent_memory.config import Config
    from agent_memory.domain.clock import utcnow
    from agent_memory.domain.models import NewMemory, Owner
    from agent_memory.runtime import Runtime
    from agent_memory.services.clusters import DEFAULT_CLUSTERS, partition
    from agent_memory.services.jobs.corpus import Corpus

    per_user: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        runtime = Runtime(Config(data_dir=Path(folder) / "data", embedder=embedder, extractor="rules"))
        try:
            for user, rows in _by_user(memories).items():
                owner = Owner(TENANT, user)
                made = runtime.memories.create_batch(TENANT, [NewMemory(user, row["content"]) for row in rows])
                order = [memory.id for memory in made if isinstance(memory, Memory)]
                gold = [row["topic"] for row in rows]
                corpus = Corpus.load(runtime.store, runtime.embedder, owner, utcnow())
                grouped = partition(corpus.memories, corpus.vectors, None, runtime.embedder.min_similarity)
                optimize = _labels(grouped, order)
                listed = runtime.clusters.clusters(owner, DEFAULT_CLUSTERS).clusters
                endpoint = _labels([list(cluster.members) for cluster in listed], order)
                at_gold = _labels(
                    partition(corpus.memories, corpus.vectors, len(set(gold)), runtime.embedder.min_similarity), order
                )
                per_user.append(
                    {
                        "size": len(rows),
                        "optimize": purity(optimize, gold),
                        "optimize_inverse": inverse_purity(optimize, gold),
                        "clusters": len(grouped),
                        "endpoint": purity(endpoint, gold),
                        "gold_k": purity(at_gold, gold),
                    }
                )
        finally:
            runtime.close()
    total = sum(user["size"] for user in per_user)

    def weighted(key: str) -> float:
        return sum(user["size"] * user[key] for user in per_user) / total if total else 0.0

    return {
        "embedder": embedder,
        "users": len(per_user),
        "per_user_purity": weighted("optimize"),
        "per_user_inverse_purity": weighted("optimize_inverse"),
        "clusters_per_user": sum(user["clusters"] for user in per_user) / len(per_user) if per_user else 0.0,
        "per_user_purity_default_n": weighted("endpoint"),
        "default_n": DEFAULT_CLUSTERS,
        "per_user_purity_gold_k": weighted("gold_k"),
    }


def run(data_dir: Path, split: str | None, embedder: str, errors: bool = False) -> dict[str, Any]:
    memories = _load(data_dir / "memories.jsonl", split)
    pairs = _load(data_dir / "pairs.jsonl", split)
    entities, entity_errors = entity_scores(memories)
    relations, relation_errors = relation_scores(memories)
    model = build_embedder(embedder)
    similarities = pair_similarities(pairs, model)
    meaning = scale_for(model.model_id)
    curator, curator_errors = curator_scores(pairs, similarities, meaning)
    if meaning is not None:
        curator["words_only_accuracy"] = curator_scores(pairs, similarities, None)[0]["accuracy"]
    result: dict[str, Any] = {
        "split": split or "all",
        "memories": len(memories),
        "pairs": len(pairs),
        "entities": entities,
        "relations": relations,
        "curator": curator,
        "clusters": cluster_scores(memories, embedder),
    }
    if errors:
        result["errors"] = {"entities": entity_errors, "relations": relation_errors, "curator": curator_errors}
    return result


def render(result: dict[str, Any]) -> str:
    e, r, c, k = result["entities"], result["relations"], result["curator"], result["clusters"]
    lines = [
        f"knowledge benchmark, split {result['split']}: {result['memories']} memories, {result['pairs']} pairs",
        f"entities    type accuracy {e['type_accuracy']:.3f}  recall {e['recall']:.3f}  precision {e['precision']:.3f}"
        f"  ({e['gold']} gold, {e['found']} found)",
        f"relations   precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}"
        f"  ({r['gold']} gold, {r['predicted']} predicted)",
        f"curator     accuracy {c['accuracy']:.3f} on {c['pairs']} pairs"
        + (
            f" (word rules and {result['clusters']['embedder']} similarity;"
            f" word rules alone {c['words_only_accuracy']:.3f})"
            if c["second_reading"]
            else " (word rules; the embedder has no meaning calibration)"
        ),
        "            gold \\ got   " + "  ".join(f"{got:>9}" for got in DECISIONS),
    ]
    lines += [
        f"            {gold:<12}" + "  ".join(f"{row[got]:>9}" for got in DECISIONS)
        for gold, row in c["confusion"].items()
    ]
    lines.append(
        f"clusters    purity per user {k['per_user_purity']:.3f} (optimize's topic groups, {k['clusters_per_user']:.1f}"
        f" per user; inverse purity {k['per_user_inverse_purity']:.3f}), {k['per_user_purity_default_n']:.3f}"
        f" (GET /v1/clusters, n={k['default_n']}), {k['per_user_purity_gold_k']:.3f} (n = the user's gold topics),"
        f" {k['users']} users; embedder {k['embedder']}"
    )
    return "\n".join(lines)
