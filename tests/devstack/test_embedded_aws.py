"""The embedded AWS keeps DynamoDB's semantics while its transactions and queries stay cheap on a big table."""

import tracemalloc
import uuid

import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models import dynamodb_backends

BIG = 20_000  # items: enough that copying the table dwarfs everything else a request allocates


@pytest.fixture(scope="module")
def table(stack):
    """A table of its own (pk, sk and a GSI), filled in-process: 20,000 puts over HTTP would take minutes."""
    db, name = stack.client("dynamodb"), f"embedded-aws-test-{uuid.uuid4().hex[:8]}"
    db.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "gs")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "gs", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    model = _model(name)
    for number in range(BIG):
        model.put_item({"pk": {"S": f"BULK#{number % 1000}"}, "sk": {"S": f"{number:06d}"}, "pad": {"S": "x" * 100}})
    yield db, name
    db.delete_table(TableName=name)


def _model(name: str):
    return next(b.tables[name] for regions in dynamodb_backends.values() for b in regions.values() if name in b.tables)


def _item(pk: str, sk: str, **attributes: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}, **{k: {"S": v} for k, v in attributes.items()}}


def _get(db, name: str, pk: str, sk: str) -> dict | None:
    return db.get_item(TableName=name, Key=_item(pk, sk), ConsistentRead=True).get("Item")


def test_a_failed_transaction_leaves_nothing_written(table):
    db, name = table
    pk = f"T#{uuid.uuid4()}"
    db.put_item(TableName=name, Item=_item(pk, "existing", state="before"))
    db.put_item(TableName=name, Item=_item(pk, "taken"))
    with pytest.raises(ClientError) as refused:
        db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": _item(pk, "new")}},
                {
                    "Update": {
                        "TableName": name,
                        "Key": _item(pk, "existing"),
                        "UpdateExpression": "SET #s = :after",
                        "ExpressionAttributeNames": {"#s": "state"},
                        "ExpressionAttributeValues": {":after": {"S": "after"}},
                    }
                },
                _failing_check(name, pk, "taken"),
            ]
        )
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = [r["Code"] for r in refused.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert _get(db, name, pk, "new") is None
    assert _get(db, name, pk, "existing")["state"] == {"S": "before"}


def _failing_check(name: str, pk: str, sk: str) -> dict:
    return {
        "ConditionCheck": {
            "TableName": name,
            "Key": _item(pk, sk),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def test_a_transaction_that_passes_its_conditions_writes_everything(table):
    db, name = table
    pk = f"T#{uuid.uuid4()}"
    db.put_item(TableName=name, Item=_item(pk, "gone"))
    db.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": _item(pk, "a"), "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Delete": {"TableName": name, "Key": _item(pk, "gone"), "ConditionExpression": "attribute_exists(pk)"}},
        ]
    )
    assert _get(db, name, pk, "a") is not None and _get(db, name, pk, "gone") is None
    with pytest.raises(ClientError):  # the same claim again: its condition fails now
        db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": _item(pk, "a"), "ConditionExpression": "attribute_not_exists(pk)"}}
            ]
        )


def test_a_transaction_does_not_copy_the_table(table):
    """moto backed up each touched table with a deep copy per item: 20,000 items copied 4 times per filing."""
    db, name = table
    pk = f"T#{uuid.uuid4()}"
    before = _model(name)
    tracemalloc.start()
    try:
        db.transact_write_items(
            TransactItems=[{"Put": {"TableName": name, "Item": _item(pk, str(n))}} for n in range(4)]
        )
        with pytest.raises(ClientError):
            db.transact_write_items(TransactItems=[_failing_check(name, "BULK#1", "000001")])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _model(name) is before  # moto's rollback swapped in its copy of the table
    assert peak < 40 * 2**20, f"{peak / 2**20:.0f} MiB allocated for two small transactions"


def test_a_query_reads_its_partition_in_order_and_pages(table):
    db, name = table
    pk = f"Q#{uuid.uuid4()}"
    for sk in ("b", "a", "c", "ab"):
        db.put_item(TableName=name, Item=_item(pk, sk, g=pk, gs=sk))

    def query(**extra) -> dict:
        request = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": pk}}, **extra}
        return db.query(TableName=name, **request)

    assert [i["sk"]["S"] for i in query()["Items"]] == ["a", "ab", "b", "c"]
    assert [i["sk"]["S"] for i in query(ScanIndexForward=False)["Items"]] == ["c", "b", "ab", "a"]
    first = query(Limit=2)
    assert [i["sk"]["S"] for i in first["Items"]] == ["a", "ab"]
    rest = query(Limit=2, ExclusiveStartKey=first["LastEvaluatedKey"])
    assert [i["sk"]["S"] for i in rest["Items"]] == ["b", "c"]
    prefixed = db.query(
        TableName=name,
        KeyConditionExpression="pk = :p AND begins_with(sk, :a)",
        ExpressionAttributeValues={":p": {"S": pk}, ":a": {"S": "a"}},
    )
    assert [i["sk"]["S"] for i in prefixed["Items"]] == ["a", "ab"]
    on_index = db.query(
        TableName=name,
        IndexName="gsi1",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": pk}},
        ScanIndexForward=False,
    )
    assert [i["gs"]["S"] for i in on_index["Items"]] == ["c", "b", "ab", "a"]
    assert query(ExpressionAttributeValues={":p": {"S": "Q#nobody"}})["Items"] == []


def test_reading_missing_items_does_not_grow_the_table(table):
    """Each unknown receipt looked up used to leave an empty partition behind in moto's store."""
    db, name = table
    partitions = len(_model(name).items)
    for _ in range(50):
        assert _get(db, name, f"MISSING#{uuid.uuid4()}", "x") is None
    assert len(_model(name).items) == partitions
