"""DynamoDB repository of registered agency clients and the assertion ids they have used."""

import json
from typing import Any

from chalicelib.adapters import dynamo
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.agencies import Agency


class DynamoAgencyRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def register(self, agency: Agency) -> None:
        """Upsert: re-registering replaces the keys, which is how an agency rotates them."""
        self._table.put(
            {
                **dynamo.agency_key(agency.client_id),
                "agency_id": agency.agency_id,
                "client_id": agency.client_id,
                "name_vi": agency.name_vi,
                "name_en": agency.name_en,
                "public_jwks": json.dumps(list(agency.public_jwks)),
                "procedure_codes": list(agency.procedure_codes),
                "active": agency.active,
                "credential_types": list(agency.credential_types),
            }
        )
        for code in agency.procedure_codes:  # where a citizen's online dossier for `code` can be sent
            self._table.put({**dynamo.procedure_agency_key(code, agency.agency_id), "client_id": agency.client_id})

    def handlers_of(self, procedure_code: str) -> list[Agency]:
        """Registered, active agencies that still handle the procedure (a route outlives a removed code)."""
        routes, _ = self._table.query_page(dynamo.procedure_agency_key(procedure_code, "")["pk"], limit=100)
        agencies = [self.get(route["client_id"]) for route in routes]
        return [a for a in agencies if a is not None and a.active and procedure_code in a.procedure_codes]

    def get(self, client_id: str) -> Agency | None:
        item = self._table.get(dynamo.agency_key(client_id))
        return _agency(item) if item else None

    def claim_assertion(self, client_id: str, jti: str, expires_at: int) -> bool:
        """True the first time a jti is seen; the item outlives the assertion, then TTL removes it."""
        try:
            self._table.put(
                {**dynamo.assertion_jti_key(client_id, jti), "expires_at": expires_at},
                condition="attribute_not_exists(pk)",
            )
            return True
        except ConditionFailed:
            return False


def _agency(item: dict[str, Any]) -> Agency:
    return Agency(
        agency_id=item["agency_id"],
        client_id=item["client_id"],
        name_vi=item["name_vi"],
        name_en=item["name_en"],
        public_jwks=tuple(json.loads(item["public_jwks"])),
        procedure_codes=tuple(item.get("procedure_codes", [])),
        active=bool(item.get("active", True)),
        credential_types=tuple(item.get("credential_types", [])),
    )
