"""CloudWatch alarms, all notifying one encrypted SNS topic: every DLQ's depth, API 5xx, each
function's errors and throttles, and DynamoDB throttling."""

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.messaging import QueuePair

PERIOD = Duration.minutes(1)
ABOVE = cw.ComparisonOperator.GREATER_THAN_THRESHOLD
TABLE_OPERATIONS = (
    dynamodb.Operation.GET_ITEM,
    dynamodb.Operation.BATCH_GET_ITEM,
    dynamodb.Operation.QUERY,
    dynamodb.Operation.PUT_ITEM,
    dynamodb.Operation.UPDATE_ITEM,
    dynamodb.Operation.DELETE_ITEM,
    dynamodb.Operation.BATCH_WRITE_ITEM,
    dynamodb.Operation.TRANSACT_WRITE_ITEMS,
    dynamodb.Operation.TRANSACT_GET_ITEMS,
)


class Alarms(Construct):
    """Owns the topic; each `add_*` call adds the alarms for one kind of resource."""

    def __init__(self, scope: Construct, construct_id: str, key: kms.IKey, email: str) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", master_key=key, enforce_ssl=True)
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        self._action = cw_actions.SnsAction(self.topic)

    def _alarm(self, alarm_id: str, metric: cw.IMetric, threshold: float, description: str) -> cw.Alarm:
        alarm = metric.create_alarm(
            self,
            alarm_id,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=ABOVE,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(self._action)
        return alarm

    def add_dead_letter_queues(self, queues: list[QueuePair]) -> None:
        for pair in queues:
            depth = pair.dead_letters.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum")
            self._alarm(
                f"{pair.spec.logical_id}DeadLetters",
                depth,
                0,
                f"Messages in the {pair.spec.logical_id} DLQ: inspect, fix, redrive",
            )

    def add_api(self, api_name: str, stage: str) -> None:
        errors = cw.Metric(
            namespace="AWS/ApiGateway",
            metric_name="5XXError",
            dimensions_map={"ApiName": api_name, "Stage": stage},
            statistic="Sum",
            period=PERIOD,
        )
        self._alarm("Api5xx", errors, 5, "API Gateway answered 5xx more than 5 times in a minute")

    def add_function(self, logical_id: str, function_name: str) -> None:
        for metric_name in ("Errors", "Throttles"):
            metric = cw.Metric(
                namespace="AWS/Lambda",
                metric_name=metric_name,
                dimensions_map={"FunctionName": function_name},
                statistic="Sum",
                period=PERIOD,
            )
            self._alarm(
                f"{logical_id}{metric_name}",
                metric,
                0,
                f"Lambda {logical_id}: {metric_name.lower()} in the last minute",
            )

    def add_table(self, logical_id: str, table: dynamodb.Table) -> None:
        throttles = table.metric_throttled_requests_for_operations(operations=list(TABLE_OPERATIONS), period=PERIOD)
        self._alarm(
            f"{logical_id}Throttles",
            throttles,
            0,
            f"DynamoDB {logical_id} throttled requests: check hot keys and account limits",
        )
