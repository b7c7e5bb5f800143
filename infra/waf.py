"""WAFv2 web ACL on the API stage: a per-IP rate limit plus AWS's managed baseline rules."""

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _rate_rule(limit: int) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name="rate-per-ip",
        priority=0,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=limit, aggregate_key_type="IP", evaluation_window_sec=300
            )
        ),
        visibility_config=_visibility("rate-per-ip"),
    )


def _managed_rule(name: str, priority: int, count_only: tuple[str, ...] = ()) -> wafv2.CfnWebACL.RuleProperty:
    overrides = [
        wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
        )
        for rule in count_only
    ] or None
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name, rule_action_overrides=overrides
            )
        ),
        visibility_config=_visibility(name),
    )


def build_web_acl(
    scope: Construct, name: str, rate_limit: int, stage_arn: str
) -> tuple[wafv2.CfnWebACL, wafv2.CfnWebACLAssociation]:
    acl = wafv2.CfnWebACL(
        scope,
        "ApiWebAcl",
        name=name,
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(name),
        rules=[
            _rate_rule(rate_limit),
            # The app enforces its own body limit and answers problem+json; the managed 8 KB body
            # rule would block legitimate JSON before the app sees it, so it only counts.
            _managed_rule("AWSManagedRulesCommonRuleSet", 1, count_only=("SizeRestrictions_BODY",)),
            _managed_rule("AWSManagedRulesKnownBadInputsRuleSet", 2),
        ],
    )
    association = wafv2.CfnWebACLAssociation(
        scope, "ApiWebAclAssociation", resource_arn=stage_arn, web_acl_arn=acl.attr_arn
    )
    return acl, association
