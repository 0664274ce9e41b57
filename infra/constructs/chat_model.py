"""The stage's Bedrock chat model, checked once: refused at synthesis when the stack could not grant or call it, and
(when the stack's Region is only known at deploy time) a template rule that refuses a Region outside the inference
profile's geography before anything is created."""

from __future__ import annotations

from aws_cdk import Aws, CfnRule, CfnRuleAssertion, Fn, Stack, Token

from constructs import Construct
from infra.bedrock_models import ConverseModel, converse_model


class ChatModel(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, model_id: str) -> None:
        super().__init__(scope, construct_id)
        self.model: ConverseModel = converse_model(model_id)
        region = Stack.of(self).region
        self.model.check_region(region)
        sources = self.model.source_regions()
        self.rule: CfnRule | None = None
        if sources is not None and Token.is_unresolved(region):
            self.rule = CfnRule(
                self,
                "RegionInGeography",
                assertions=[
                    CfnRuleAssertion(
                        assert_=Fn.condition_contains(sorted(sources), Aws.REGION),
                        assert_description=(
                            f"The Converse model {model_id} is a {self.model.geography}. inference profile: deploy "
                            f"in {', '.join(sorted(sources))}, or choose the profile of this Region's geography "
                            "(-c converse_model=...)."
                        ),
                    )
                ],
            )
