"""cdk-nag acknowledgements: each names one finding on one construct and the real reason."""

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct


def _ack(construct: IConstruct, finding: str, reason: str) -> None:
    Validations.of(construct).acknowledge(Acknowledgment(id=f"AwsSolutions::AwsSolutions-{finding}", reason=reason))


def acknowledge(stack: Stack) -> None:
    for secret in stack.data.secrets.values():
        _ack(
            secret,
            "SMG4",
            "The value is issued outside AWS (eID client registration, Firebase console) and cannot "
            "be rotated by a Lambda; operators rotate it by the procedure in docs/deploy.md.",
        )
    bucket_arn = stack.get_logical_id(stack.buckets.documents.node.default_child)
    _ack(
        stack.role,
        f"IAM5[Resource::<{bucket_arn}.Arn>/*]",
        "Object keys are per citizen and created at run time; the grant is limited to object "
        "actions (get/put/delete) inside this one documents bucket.",
    )
    cloudwatch_role = stack.node.try_find_child("ApiGatewayCloudWatchRole")
    if cloudwatch_role is not None:
        _ack(
            cloudwatch_role,
            "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "The AWS-maintained policy made for exactly this role (API Gateway pushing its own "
            "logs to CloudWatch); it grants no access to application data.",
        )
    Validations.of(stack.web_acl_association).acknowledge(
        Acknowledgment(
            id="CloudFormation-Validate::F1020",
            reason="`Ref: RestAPI.Stage` names the stage that the SAM transform generates; it does not "
            "exist before the transform, which this pre-transform check cannot see.",
        )
    )
