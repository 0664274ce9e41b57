"""WAF in front of the API stage: AWS managed rules (scoped to what the API carries), a per-IP rate limit, and the
request size limit.

Bodies over the limit are refused at the edge by their Content-Length; the functions enforce the same limit on the
bytes they actually receive (413 problem+json), so a request without Content-Length cannot slip through either.
"""

from __future__ import annotations

from aws_cdk import aws_wafv2 as waf

from agent_memory.domain.limits import MAX_BODY_BYTES
from constructs import Construct
from infra.config import StageConfig

RATE_LIMIT_PER_5_MINUTES_PER_IP = 3000

# Rules of the AWS common rule set that would block the API's real traffic: they only count (metrics and sampled
# requests stay visible), every other rule of the set still blocks. Bodies are JSON data that is stored and returned
# as data, never rendered as HTML, used as a path or fetched as a URL, so markup, code or URLs in them are content.
COMMON_RULES_COUNTED = {
    # Service clients (SDKs, curl scripts, agents) often send no User-Agent; the API key identifies them.
    "NoUserAgent_HEADER": "clients without a User-Agent header",
    # Search queries in `q` are user text: 1,000 non-ASCII characters are 6-9 KB percent-encoded (limit 2,048 B).
    # API Gateway still caps the request line and headers at 10 KB.
    "SizeRestrictions_QUERYSTRING": "long search queries",
    # Batches and conversation turns exceed 8 KB by design; BodyOverSizeLimit enforces the API's 256 KiB instead.
    "SizeRestrictions_BODY": "bodies over 8 KB",
    # Chats and memories about code or web pages contain HTML, script tags, file paths and URLs, and so do the
    # searches for them (`q`). Rules on the URI path and cookies keep blocking: those are routes, not data.
    "CrossSiteScripting_BODY": "HTML or script in stored text",
    "GenericLFI_BODY": "file paths in stored text",
    "GenericRFI_BODY": "URLs in stored text",
    "EC2MetaDataSSRF_BODY": "metadata-service URLs in stored text",
    "CrossSiteScripting_QUERYARGUMENTS": "HTML or script in a search query",
    "GenericLFI_QUERYARGUMENTS": "file paths in a search query",
    "GenericRFI_QUERYARGUMENTS": "URLs in a search query",
    "EC2MetaDataSSRF_QUERYARGUMENTS": "metadata-service URLs in a search query",
}


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


def _blocking(name: str, priority: int, statement: waf.CfnWebACL.StatementProperty) -> waf.CfnWebACL.RuleProperty:
    return waf.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=waf.CfnWebACL.RuleActionProperty(block={}),
        statement=statement,
        visibility_config=_visibility(name),
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
        size_rule = _blocking(
            "BodyOverSizeLimit",
            0,
            waf.CfnWebACL.StatementProperty(
                regex_pattern_set_reference_statement=waf.CfnWebACL.RegexPatternSetReferenceStatementProperty(
                    arn=self.pattern_set.attr_arn,
                    field_to_match=waf.CfnWebACL.FieldToMatchProperty(single_header={"Name": "content-length"}),
                    text_transformations=[waf.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                )
            ),
        )
        rate_rule = _blocking(
            "RatePerIp",
            1,
            waf.CfnWebACL.StatementProperty(
                rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                    limit=RATE_LIMIT_PER_5_MINUTES_PER_IP, aggregate_key_type="IP"
                )
            ),
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
                _managed("AWSManagedRulesCommonRuleSet", 2, sorted(COMMON_RULES_COUNTED)),
                _managed("AWSManagedRulesKnownBadInputsRuleSet", 3, []),
            ],
        )
        waf.CfnWebACLAssociation(self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn)
