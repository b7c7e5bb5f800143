"""SQS work queues from chalicelib/resources.py, each with its dead-letter queue and redrive policy."""

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.resources import Queue, resource_name

DLQ_RETENTION = Duration.days(14)  # the SQS maximum: time for an operator to look and redrive


@dataclass
class QueuePair:
    spec: Queue
    queue: sqs.Queue
    dead_letters: sqs.Queue


def _queue(scope: Construct, logical_id: str, name: str, spec: Queue, key: kms.IKey, **extra) -> sqs.Queue:
    return sqs.Queue(
        scope,
        logical_id,
        queue_name=name + (".fifo" if spec.fifo else ""),
        fifo=spec.fifo or None,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        data_key_reuse=Duration.minutes(15),  # fewer KMS calls per message
        enforce_ssl=True,
        **extra,
    )


def build_queue(scope: Construct, spec: Queue, stage: str, key: kms.IKey) -> QueuePair:
    """Named by resource_name(), as locally: SQS event sources in the app refer to queues by name."""
    name = resource_name(spec.logical_id, stage)
    dlq = _queue(scope, f"{spec.logical_id}DLQ", f"{name}-dlq", spec, key, retention_period=DLQ_RETENTION)
    queue = _queue(
        scope,
        spec.logical_id,
        name,
        spec,
        key,
        visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=spec.max_receive_count),
    )
    return QueuePair(spec=spec, queue=queue, dead_letters=dlq)


def build_queues(scope: Construct, specs: tuple[Queue, ...], stage: str, key: kms.IKey) -> list[QueuePair]:
    return [build_queue(scope, spec, stage, key) for spec in specs]
