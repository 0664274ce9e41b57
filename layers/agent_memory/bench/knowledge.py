"""Knowledge quality of the local rules on the hand-labelled set in benchmarks/knowledge/: entity typing, relation
extraction, the curator's merge/supersede/keep decisions, and how well the optimize job's clustering recovers the
gold topic groups (purity)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from agent_memory.adapters.local.relation_rules import relations_in
from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.curation import MergeAction

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


def curator_scores(pairs: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    curator = RulesCurator()
    confusion: dict[str, Counter[str]] = {gold: Counter() for gold in DECISIONS}
    right = 0
    errors: list[dict[str, Any]] = []
    for pair in pairs:
        decision = curator.decide_merge(pair["older"], pair["newer"])
        got = next(name for name, action in DECISIONS.items() if action is decision.action)
        confusion[pair["decision"]][got] += 1
        if got == pair["decision"]:
            right += 1
        else:
            errors.append({"id": pair["id"], "kind": pair["kind"], "gold": pair["decision"], "got": got})
    scores = {
        "pairs": len(pairs),
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


def cluster_scores(memories: list[dict[str, Any]], embedder: str) -> dict[str, Any]:
    """The optimize job's clustering on each user's memories, and on all the memories of the split at once."""
    from agent_memory.adapters.local.embedders import build_embedder
    from agent_memory.services.jobs.optimize import MAX_CLUSTERS, kmeans

    def cluster_count(count: int) -> int:  # the optimize job's choice of k (RefreshTopics)
        return int(min(MAX_CLUSTERS, max(1, round((count / 2) ** 0.5))))

    model = build_embedder(embedder)
    per_user: list[tuple[int, float, float]] = []
    for rows in _by_user(memories).values():
        vectors = np.asarray(model.embed([row["content"] for row in rows]))
        gold = [row["topic"] for row in rows]
        labels = kmeans(vectors, cluster_count(len(rows)))
        # The same clustering given as many clusters as the user has gold topics: what a better k could reach.
        at_gold_k = kmeans(vectors, len(set(gold)))
        per_user.append((len(rows), purity([int(x) for x in labels], gold), purity([int(x) for x in at_gold_k], gold)))
    vectors = np.asarray(model.embed([row["content"] for row in memories]))
    topics = sorted({row["topic"] for row in memories})
    labels = kmeans(vectors, len(topics))
    total = sum(size for size, _, _ in per_user)
    return {
        "embedder": embedder,
        "per_user_purity": sum(size * value for size, value, _ in per_user) / total if total else 0.0,
        "per_user_purity_gold_k": sum(size * value for size, _, value in per_user) / total if total else 0.0,
        "users": len(per_user),
        "pooled_purity": purity([int(x) for x in labels], [row["topic"] for row in memories]),
        "pooled_k": len(topics),
    }


def run(data_dir: Path, split: str | None, embedder: str, errors: bool = False) -> dict[str, Any]:
    memories = _load(data_dir / "memories.jsonl", split)
    pairs = _load(data_dir / "pairs.jsonl", split)
    entities, entity_errors = entity_scores(memories)
    relations, relation_errors = relation_scores(memories)
    curator, curator_errors = curator_scores(pairs)
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
        f"curator     accuracy {c['accuracy']:.3f} on {c['pairs']} pairs",
        "            gold \\ got   " + "  ".join(f"{got:>9}" for got in DECISIONS),
    ]
    lines += [
        f"            {gold:<12}" + "  ".join(f"{row[got]:>9}" for got in DECISIONS)
        for gold, row in c["confusion"].items()
    ]
    lines.append(
        f"clusters    purity per user {k['per_user_purity']:.3f} (optimize's k), {k['per_user_purity_gold_k']:.3f}"
        f" (k = the user's gold topics), {k['users']} users; pooled {k['pooled_purity']:.3f} (k={k['pooled_k']});"
        f" embedder {k['embedder']}"
    )
    return "\n".join(lines)
