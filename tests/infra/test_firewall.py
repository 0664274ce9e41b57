"""WAF lets the API's real clients through: no User-Agent, long non-ASCII search queries, and bodies holding code or
HTML are counted, not blocked; the rest of the common rule set and the 256 KiB body cap still block."""

from __future__ import annotations

from typing import Any

from tests.infra.conftest import Synthesized

COUNTED = {
    "NoUserAgent_HEADER",
    "SizeRestrictions_QUERYSTRING",
    "SizeRestrictions_BODY",
    "CrossSiteScripting_BODY",
    "GenericLFI_BODY",
    "GenericRFI_BODY",
    "EC2MetaDataSSRF_BODY",
    "CrossSiteScripting_QUERYARGUMENTS",
    "GenericLFI_QUERYARGUMENTS",
    "GenericRFI_QUERYARGUMENTS",
    "EC2MetaDataSSRF_QUERYARGUMENTS",
}


def rules(synth: Synthesized) -> dict[str, dict[str, Any]]:
    (acl,) = synth.of_type("AWS::WAFv2::WebACL").values()
    return {rule["Name"]: rule for rule in acl["Properties"]["Rules"]}


def test_the_common_rule_set_counts_only_the_rules_real_clients_trip(dev: Synthesized) -> None:
    common = rules(dev)["AWSManagedRulesCommonRuleSet"]
    # The group as a whole still blocks (its rules keep their own Block action) ...
    assert common["OverrideAction"] == {"None": {}}
    overrides = common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    # ... except exactly these rules, which count
    assert {o["Name"] for o in overrides} == COUNTED
    assert all(o["ActionToUse"] == {"Count": {}} for o in overrides)
    # And path and cookie attacks are untouched
    assert not {o["Name"] for o in overrides if o["Name"].endswith(("_URIPATH", "_COOKIE"))}


def test_the_known_bad_inputs_set_and_the_body_cap_still_block(dev: Synthesized) -> None:
    by_name = rules(dev)
    bad_inputs = by_name["AWSManagedRulesKnownBadInputsRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert "RuleActionOverrides" not in bad_inputs
    size = by_name["BodyOverSizeLimit"]
    assert size["Action"] == {"Block": {}}
    reference = size["Statement"]["RegexPatternSetReferenceStatement"]
    assert reference["FieldToMatch"] == {"SingleHeader": {"Name": "content-length"}}
    (pattern_set,) = dev.of_type("AWS::WAFv2::RegexPatternSet").values()
    assert "262144" in pattern_set["Properties"]["Description"]
