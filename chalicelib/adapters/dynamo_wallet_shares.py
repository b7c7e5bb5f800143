"""DynamoDB repository of wallet shares: one item per share, found by its id (the public link) and listed per
person newest first through gsi1; TTL removes it after expiry (reads filter expired ones: TTL lags)."""

from typing import Any

from chalicelib.adapters import dynamo
from chalicelib.adapters.dynamo_table import DynamoTable
from chalicelib.domain.pages import Page
from chalicelib.domain.wallet import Share


class DynamoShareRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def create(self, share: Share) -> None:
        self._table.put(_item(share), condition="attribute_not_exists(pk)")

    def get(self, share_id: str) -> Share | None:
        item = self._table.get(dynamo.share_key(share_id))
        return _share(item) if item else None

    def list_for_person(self, person_key: str, after: str | None, limit: int) -> Page[Share]:
        pk = dynamo.person_shares_index(person_key, 0, "")["gsi1pk"]
        items, last = self._table.query_page(pk, index="gsi1", newest_first=True, after=after, limit=limit)
        return Page([_share(item) for item in items], last)

    def count_live(self, person_key: str, now: int, at_most: int) -> int:
        """Live shares, counted up to `at_most`: the newest come first, and a share lives at most a day."""
        live, after = 0, None
        pk = dynamo.person_shares_index(person_key, 0, "")["gsi1pk"]
        while live < at_most:
            items, after = self._table.query_page(pk, index="gsi1", newest_first=True, after=after, limit=100)
            live += sum(1 for item in items if int(item["expires_at"]) > now)
            if not after:
                break
        return live

    def delete(self, person_key: str, share_id: str) -> bool:
        """Only the owner's: another person's share id is simply not there (its owner never changes)."""
        item = self._table.get(dynamo.share_key(share_id), consistent=True)
        if item is None or item["person_key"] != person_key:
            return False
        self._table.delete(dynamo.share_key(share_id))
        return True


def _item(share: Share) -> dict[str, Any]:
    return {
        **dynamo.share_key(share.share_id),
        **dynamo.person_shares_index(share.person_key, share.created_at * 1000, share.share_id),
        "share_id": share.share_id,
        "person_key": share.person_key,
        "document_id": share.document_id,
        "credential_type": share.credential_type,
        "disclose": list(share.disclose),
        "audience": share.audience,
        "presentation": share.presentation,
        "created_at": share.created_at,
        "expires_at": share.expires_at,
        "nonce": share.nonce,
    }


def _share(item: dict[str, Any]) -> Share:
    return Share(
        share_id=item["share_id"],
        person_key=item["person_key"],
        document_id=item["document_id"],
        credential_type=item["credential_type"],
        disclose=tuple(item.get("disclose", [])),
        audience=item.get("audience", ""),
        presentation=item["presentation"],
        created_at=int(item["created_at"]),
        expires_at=int(item["expires_at"]),
        nonce=item.get("nonce", ""),
    )
