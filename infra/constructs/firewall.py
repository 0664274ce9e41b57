"""WAF in front of the API stage: AWS managed rules, a per-IP rate limit, and the request size limit.

Bodies over the limit are refused at the edge by their Content-Length; the functions enforce the same limit on the
bytes they actually receive (413 problem+json), so a request without Content-Length cannot slip through either.
"""

from __future__ import annotations

from aws_cdk import aws_wafv2 as waf

from agent_memory.domain.limits import MAX_BODY_BYTES
from constructs import Construct
from infra.config import StageConfig

RATE_LIMIT_PER_5_MINUTES_PER_IP = 3000


def over_limit_pattern(limit: int) -> str:
    """A regex matching decimal numbers greater than `limit` (WAF compares header text, not numbers)."""
    digits = str(limit)
    alternatives = [rf"[1-9]\d{{{len(digits)},}}"]  # more digits than the limit has
    for position, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - position - 1
            higher = f"[{int(digit) + 1}-9]" if int(digit) < 8 else "9"
            alternatives.append(digits[:position] + higher + (rf"\d{{{rest}}}" if rest else ""))
    return "^0*(" + "|".join(alternatives) + ")$"


def _visibility(name: str) -> waf.CfnWebACL.VisibilityConfigProperty:
    return waf.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(name: str, priority: int, excluded_to_count: list[str]) -> waf.CfnWebACL.RuleProperty:
    return waf.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=waf.CfnWebACL.OverrideActionProperty(none={}),
        statement=waf.CfnWebACL.StatementProperty(
            managed_rule_group_statement=waf.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    waf.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=waf.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in excluded_to_count
                ]
                or None,
            )
        ),
        visibility_config=_visibility(name),
    )


class ApiFirewall(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, stage_arn: str) -> None:
        super().__init__(scope, construct_id)
        self.pattern_set = waf.CfnRegexPatternSet(
            self,
            "OverSizeLimit",
            scope="REGIONAL",
            description=f"Content-Length above {MAX_BODY_BYTES} bytes",
            regular_expression_list=[over_limit_pattern(MAX_BODY_BYTES)],
        )
        size_rule = waf.CfnWebACL.RuleProperty(
            name="BodyOverSizeLimit",
            priority=0,
            action=waf.CfnWebACL.RuleActionProperty(block={}),
            statement=waf.CfnWebACL.StatementProperty(
                regex_pattern_set_reference_statement=waf.CfnWebACL.RegexPatternSetReferenceStatementProperty(
                    arn=self.pattern_set.attr_arn,
                    field_to_match=waf.CfnWebACL.FieldToMatchProperty(single_header={"Name": "content-length"}),
                    text_transformations=[waf.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                )
            ),
            visibility_config=_visibility("BodyOverSizeLimit"),
        )
        rate_rule = waf.CfnWebACL.RuleProperty(
            name="RatePerIp",
            priority=1,
            action=waf.CfnWebACL.RuleActionProperty(block={}),
            statement=waf.CfnWebACL.StatementProperty(
                rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                    limit=RATE_LIMIT_PER_5_MINUTES_PER_IP, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility("RatePerIp"),
        )
        self.web_acl = waf.CfnWebACL(
            self,
            "WebAcl",
            name=f"agent-memory-{config.name}",
            scope="REGIONAL",
            default_action=waf.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"agent-memory-{config.name}"),
            rules=[
                size_rule,
                rate_rule,
                # The common set blocks bodies over 8 KB; batches are larger by design, and the size rule above
                # enforces the API's own limit instead.
                _managed("AWSManagedRulesCommonRuleSet", 2, ["SizeRestrictions_BODY"]),
                _managed("AWSManagedRulesKnownBadInputsRuleSet", 3, []),
            ],
        )
        waf.CfnWebACLAssociation(self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn)
