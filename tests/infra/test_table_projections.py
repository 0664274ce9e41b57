"""The table construct declares the index projections the store adapter defines, and keeps an existing table's."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def _table(**context: str) -> dict:
    from aws_cdk import App, Stack
    from aws_cdk import aws_kms as kms
    from aws_cdk.assertions import Template
    from infra.config import STAGES
    from infra.constructs.table import MemoryTable

    stack = Stack(App(context=context), "TableOnly")
    MemoryTable(stack, "Table", config=STAGES["prod"], key=kms.Key(stack, "Key"))
    (table,) = Template.from_stack(stack).find_resources("AWS::DynamoDB::Table").values()
    return dict(table["Properties"])


def test_a_new_table_projects_no_vector_into_its_indexes() -> None:
    from agent_memory.adapters.aws.dynamo.schema import table_definition

    props = _table()
    (gsi1,) = props["GlobalSecondaryIndexes"]
    (lsi1,) = props["LocalSecondaryIndexes"]
    assert gsi1["Projection"] == table_definition("x")["GlobalSecondaryIndexes"][0]["Projection"]
    assert "vector" not in gsi1["Projection"]["NonKeyAttributes"]
    assert lsi1["Projection"] == {"ProjectionType": "KEYS_ONLY"}


@pytest.mark.parametrize("flag", ["true", "True"])
def test_a_table_created_before_keeps_its_projections_when_deployed_with_the_legacy_flag(flag: str) -> None:
    # Given an existing table (an LSI's projection can never change: CloudFormation would replace the table)
    props = _table(legacy_table_projections=flag)
    # Then both indexes are declared as they were created
    assert props["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "ALL"}
    assert props["LocalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "ALL"}
