"""The OpenSearch Serverless vector collection: encryption (the stack's key), network and data-access policies, and
the index created at deploy time by a custom resource that uses the adapter's own mapping.

The data access policy is rendered at synthesis from every grant made until then, so a grant can come at any point
of the stack's composition."""

from __future__ import annotations

import json
from collections.abc import Callable

import jsii
from aws_cdk import CustomResource, IResolveContext, IStringProducer, Lazy, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_opensearchserverless as aoss
from aws_cdk import custom_resources as cr

from constructs import Construct
from infra.config import StageConfig
from infra.constructs.encryption import encrypted_log_group

INDEX_NAME = "memories"
READ_PERMISSIONS = ["aoss:DescribeIndex", "aoss:ReadDocument"]
WRITE_PERMISSIONS = [*READ_PERMISSIONS, "aoss:WriteDocument", "aoss:UpdateIndex", "aoss:CreateIndex"]


class SearchCollection(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.name = f"agent-memory-{config.name}"
        resource = [f"collection/{self.name}"]
        encryption = aoss.CfnSecurityPolicy(
            self,
            "Encryption",
            name=f"{self.name}-enc",
            type="encryption",
            policy=Stack.of(self).to_json_string(
                {"Rules": [{"ResourceType": "collection", "Resource": resource}], "KmsARN": key.key_arn}
            ),
        )
        # Public endpoint, but every request is SigV4-signed and checked against the data access policy below.
        network = aoss.CfnSecurityPolicy(
            self,
            "Network",
            name=f"{self.name}-net",
            type="network",
            policy=json.dumps(
                [{"Rules": [{"ResourceType": "collection", "Resource": resource}], "AllowFromPublic": True}]
            ),
        )
        standby = "ENABLED" if config.search_standby_replicas else "DISABLED"
        # NextGen: the collection's compute lives in a collection group whose floor is 0 OCU, so an idle stage
        # costs only its stored data (the first request after 10 idle minutes waits 10-30 s for capacity).
        self.group: aoss.CfnCollectionGroup | None = None
        if config.search_generation == "NEXTGEN":
            self.group = aoss.CfnCollectionGroup(
                self,
                "Group",
                name=self.name,
                generation="NEXTGEN",
                standby_replicas=standby,
                description=f"agent-memory {config.name}: scales to zero when idle",
                capacity_limits=aoss.CfnCollectionGroup.CapacityLimitsProperty(
                    min_indexing_capacity_in_ocu=0,
                    min_search_capacity_in_ocu=0,
                    max_indexing_capacity_in_ocu=config.search_max_ocu,
                    max_search_capacity_in_ocu=config.search_max_ocu,
                ),
            )
        elif config.search_generation != "CLASSIC":
            raise ValueError(f"search_generation is NEXTGEN or CLASSIC, not {config.search_generation!r}")
        self.collection = aoss.CfnCollection(
            self,
            "Collection",
            name=self.name,
            type="VECTORSEARCH",
            description="agent-memory search projection (rebuildable from the table)",
            standby_replicas=standby,
            collection_group_name=self.group.name if self.group else None,
        )
        self.collection.add_resource_dependency(encryption)
        self.collection.add_resource_dependency(network)
        if self.group:
            self.collection.add_resource_dependency(self.group)
        # Prod keeps its collection (and what it needs to be read) when the stack is deleted, as it keeps the table.
        removal = RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY
        for kept in (encryption, network, self.collection, *([self.group] if self.group else [])):
            kept.apply_removal_policy(removal)
        self.endpoint = self.collection.attr_collection_endpoint
        self.arn = self.collection.attr_arn
        self.config = config
        self.key = key
        self._readers: list[iam.IRole] = []
        self._writers: list[iam.IRole] = []
        self.access = aoss.CfnAccessPolicy(
            self,
            "DataAccess",
            name=f"{self.name}-data",
            type="data",
            policy=Lazy.uncached_string(_Produce(self._access_rules), display_hint="DataAccessPolicy"),
        )

    def grant(self, role: iam.IRole, *, write: bool) -> None:
        """IAM lets the role call the collection; the data access policy decides what it may do with the index."""
        role.add_to_principal_policy(iam.PolicyStatement(actions=["aoss:APIAccessAll"], resources=[self.arn]))
        (self._writers if write else self._readers).append(role)

    def _access_rules(self) -> str:
        """The data access policy of the grants made so far: readers, then writers (an empty group is left out)."""

        def rule(roles: list[iam.IRole], permissions: list[str]) -> dict[str, object]:
            return {
                "Rules": [{"ResourceType": "index", "Resource": [f"index/{self.name}/*"], "Permission": permissions}],
                "Principal": [role.role_arn for role in roles],
            }

        rules = [
            rule(roles, perms)
            for roles, perms in ((self._readers, READ_PERMISSIONS), (self._writers, WRITE_PERMISSIONS))
            if roles
        ]
        return Stack.of(self).to_json_string(rules)

    def create_index_with(self, on_event: lambda_.IFunction) -> CustomResource:
        """Runs `on_event` (the deploy/search_index function) through the CDK Provider framework."""
        config = self.config
        provider_logs = encrypted_log_group(self, "ProviderLogs", config=config, key=self.key)
        provider = cr.Provider(self, "IndexProvider", on_event_handler=on_event, log_group=provider_logs)
        resource = CustomResource(
            self,
            "Index",
            service_token=provider.service_token,
            resource_type="Custom::OpenSearchIndex",
            properties={"IndexName": INDEX_NAME, "Collection": self.name, "Dimensions": str(config.titan_dimensions)},
        )
        resource.node.add_dependency(self.collection)
        resource.node.add_dependency(self.access)  # the index creator needs its data access first
        self.provider = provider
        return resource


@jsii.implements(IStringProducer)
class _Produce:
    """Calls `produce` at every resolution (uncached): a grant made after a first look is never lost."""

    def __init__(self, produce: Callable[[], str]) -> None:
        self._produce = produce

    def produce(self, context: IResolveContext) -> str:
        return self._produce()
