"""The tax authority's answers kept per taxpayer and topic, in the authority's own JSON shapes, so that a read
served from here costs one GetItem and one decode, and an answer can still be shown (marked stale) while the
authority is down. Items expire by DynamoDB TTL once too old to be worth showing."""

import json
from collections.abc import Callable
from typing import Any

from chalicelib.adapters import dynamo
from chalicelib.adapters import tax_authority_json as documents
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.tax import TaxAnswer

# topic prefix -> (domain value -> document, document -> domain value)
_CODECS: dict[str, tuple[Callable[[Any], dict[str, Any]], Callable[[dict[str, Any]], Any]]] = {
    "profile": (documents.profile_doc, documents.profile_from),
    "obligations": (documents.obligations_doc, documents.obligations_from),
    "unpaid": (documents.obligations_doc, documents.obligations_from),
    "payments": (documents.payments_doc, documents.payments_from),
    "business": (documents.business_doc, documents.business_from),
    "represented": (documents.businesses_doc, documents.businesses_from),
}


class DynamoTaxCache:
    def __init__(self, table: DynamoTable, taxpayer_key: Callable[[str], str], keep_seconds: int):
        self._table, self._taxpayer_key, self._keep = table, taxpayer_key, keep_seconds

    def read(self, tax_code: str, topic: str) -> TaxAnswer | None:
        item = self._table.get(dynamo.tax_answer_key(self._taxpayer_key(tax_code), topic))
        if item is None:
            return None
        decode = _codec(topic)[1]
        return TaxAnswer(decode(json.loads(item["doc"])), int(item["as_of"]))

    def keep(self, tax_code: str, topic: str, answer: TaxAnswer) -> None:
        encode = _codec(topic)[0]
        self._table.put(
            {
                **dynamo.tax_answer_key(self._taxpayer_key(tax_code), topic),
                "doc": json.dumps(encode(answer.value), ensure_ascii=False, separators=(",", ":")),
                "as_of": answer.as_of,
                "expires_at": answer.as_of + self._keep,
            }
        )

    def kept(self, tax_code: str) -> list[tuple[str, TaxAnswer]]:
        """Every answer kept for the taxpayer (a few topics: one Query), each as the authority's own document."""
        items, _ = self._table.query_page(dynamo.tax_answer_key(self._taxpayer_key(tax_code), "")["pk"], limit=100)
        return [(item["sk"], TaxAnswer(json.loads(item["doc"]), int(item["as_of"]))) for item in items]


def _codec(topic: str) -> tuple[Callable[[Any], dict[str, Any]], Callable[[dict[str, Any]], Any]]:
    return _CODECS[topic.partition(":")[0]]
