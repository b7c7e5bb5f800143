"""DynamoDB store of the OpenID4VCI secrets (pre-authorized codes, access tokens, c_nonces) by hash, with a TTL;
a single-use one is taken with a delete that returns it, so two wallets racing with one code get it once."""

from typing import Any

from chalicelib.adapters import dynamo
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.openid4vci import IssuanceGrant


class DynamoIssuanceGrants:
    def __init__(self, table: DynamoTable):
        self._table = table

    def keep(self, kind: str, secret_hash: str, grant: IssuanceGrant) -> None:
        item = {
            **dynamo.issuance_secret_key(kind, secret_hash),
            "person_key": grant.person_key,
            "document_id": grant.document_id,
            "expires_at": grant.expires_at,
        }
        self._table.put(item, condition="attribute_not_exists(pk)")

    def read(self, kind: str, secret_hash: str, now: int) -> IssuanceGrant | None:
        return _live(self._table.get(dynamo.issuance_secret_key(kind, secret_hash), consistent=True), now)

    def take(self, kind: str, secret_hash: str, now: int) -> IssuanceGrant | None:
        """TTL deletion lags: an expired item is taken (so it is gone) but answers nothing."""
        return _live(self._table.delete(dynamo.issuance_secret_key(kind, secret_hash)), now)


def _live(item: dict[str, Any] | None, now: int) -> IssuanceGrant | None:
    if not item:
        return None
    grant = IssuanceGrant(item["person_key"], item["document_id"], int(item["expires_at"]))
    return grant if grant.is_live(now) else None
