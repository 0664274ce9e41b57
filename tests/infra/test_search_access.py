"""The search collection's data access policy is rendered from the grants at synthesis: every role granted search
access is a principal with the permissions it was granted, however late the grant came."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template
from infra.constructs.search import READ_PERMISSIONS, WRITE_PERMISSIONS
from infra.stacks.memory_stack import INDEX_CREATOR

from tests.infra.conftest import Synthesized, props_only
from tests.infra.test_stack import actions


def principals_by_permissions(policy: dict[str, Any]) -> dict[tuple[str, ...], set[str]]:
    """The rendered data access policy: the logical ids of the roles each set of permissions is granted to."""
    separator, parts = policy["Fn::Join"]
    text = separator.join(part if isinstance(part, str) else part["Fn::GetAtt"][0] for part in parts)
    found: dict[tuple[str, ...], set[str]] = {}
    for rule in json.loads(text):
        (granted,) = rule["Rules"]
        found.setdefault(tuple(granted["Permission"]), set()).update(rule["Principal"])
    return found


def access_policy(template: dict[str, Any]) -> dict[tuple[str, ...], set[str]]:
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::OpenSearchServerless::AccessPolicy"]
    return principals_by_permissions(policy["Properties"]["Policy"])


def test_every_role_granted_search_is_in_the_data_access_policy_with_what_it_was_granted(dev: Synthesized) -> None:
    granted = access_policy(dev.resolved(dev.document))
    callers = {
        dev.logical_id(fn.role) for fn in dev.stack.functions.values() if "aoss:APIAccessAll" in actions(dev, fn.role)
    }
    writers = {dev.logical_id(dev.stack.functions[name].role) for name in ("StreamIndexer", "SearchIndexCreator")}
    assert granted[tuple(READ_PERMISSIONS)] | granted[tuple(WRITE_PERMISSIONS)] == callers
    assert writers <= granted[tuple(WRITE_PERMISSIONS)]
    assert not granted[tuple(READ_PERMISSIONS)] & granted[tuple(WRITE_PERMISSIONS)]


def test_a_grant_made_after_the_others_and_after_the_index_is_still_in_the_policy() -> None:
    # Given readers and the index creator granted, and the index created (where the policy used to be written)
    props = props_only()
    stack, search = Stack.of(props.key), props.search

    def role(name: str) -> iam.Role:
        return iam.Role(stack, name, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))

    reader = role("Reader")
    search.grant(reader, write=False)
    creator = props.functions.build(stack, "IndexCreator", INDEX_CREATOR)
    search.grant(creator.role, write=True)
    index = search.create_index_with(creator.function)
    before = principals_by_permissions(stack.resolve(search.access.policy))

    # When one more role is granted after all of that (and after the policy was resolved once)
    late = role("LateReader")
    search.grant(late, write=False)
    after = access_policy(Template.from_stack(stack).to_json())

    # Then the policy has it, beside the earlier grants, and the index still waits for the policy
    ids = {name: stack.get_logical_id(r.node.default_child) for name, r in (("reader", reader), ("late", late))}
    creator_id = stack.get_logical_id(creator.role.node.default_child)
    assert before == {tuple(READ_PERMISSIONS): {ids["reader"]}, tuple(WRITE_PERMISSIONS): {creator_id}}
    assert after == {tuple(READ_PERMISSIONS): {ids["reader"], ids["late"]}, tuple(WRITE_PERMISSIONS): {creator_id}}
    assert search.access in index.node.dependencies
