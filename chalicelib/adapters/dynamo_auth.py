"""DynamoDB repositories for logins in progress, citizens and their sessions."""

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from chalicelib.adapters import dynamo, dynamo_table
from chalicelib.adapters.dynamo_devices import DynamoDeviceRepository
from chalicelib.adapters.dynamo_table import ConditionFailed, DynamoTable
from chalicelib.domain.citizens import Citizen, CitizenAlreadyExists, EidIdentity
from chalicelib.domain.login import LoginAttempt
from chalicelib.domain.sessions import RefreshRaceLost, RefreshRecord, SealedSuccessor, Session, SessionGone

_ACTIVE, _ROTATED = "active", "rotated"


class DynamoLoginAttemptRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def save(self, attempt: LoginAttempt) -> None:
        self._table.put({**dynamo.login_key(attempt.state), **asdict(attempt)})

    def consume(self, state: str, now: int) -> LoginAttempt | None:
        """Deleting on read makes a state single-use even under concurrent callbacks."""
        old = self._table.delete(dynamo.login_key(state))
        if not old or int(old["expires_at"]) <= now:
            return None
        return LoginAttempt(
            state=old["state"],
            nonce=old["nonce"],
            code_verifier=old["code_verifier"],
            redirect_uri=old["redirect_uri"],
            expires_at=int(old["expires_at"]),
            app_code_challenge=old.get("app_code_challenge", ""),
        )


class DynamoCitizenRepository:
    """`person_key` (HMAC of the personal ID) links the citizen to dossiers agencies recorded before,
    or after, their first login: the profile keeps it and PERSON#<key> names the citizen."""

    def __init__(self, table: DynamoTable, person_key: Callable[[str], str] | None = None):
        self._table = table
        self._person_key = person_key

    def find_id_by_subject(self, eid_subject: str) -> str | None:
        item = self._table.get(dynamo.identity_key(eid_subject))
        return item["citizen_id"] if item else None

    def create(self, citizen: Citizen) -> None:
        """Identity and profile together; CitizenAlreadyExists when a parallel first login won."""
        identity = {**dynamo.identity_key(citizen.eid_subject), "citizen_id": citizen.citizen_id}
        operations = [
            dynamo_table.put_operation(identity, "attribute_not_exists(pk)"),
            dynamo_table.put_operation(_profile_item(citizen), "attribute_not_exists(pk)"),
        ]
        if self._person_key:
            key = self._person_key(citizen.personal_id)
            operations[1]["Put"]["Item"].update(dynamo_table.to_item({"person_key": key}))
            operations.append(dynamo_table.put_operation(_link_item(key, citizen.citizen_id)))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise CitizenAlreadyExists() from lost

    def refresh_from_eid(self, citizen_id: str, identity: EidIdentity, now: int) -> None:
        """The eID is the source of truth for name, residence and level: take them at every login, and keep
        the person link current in the same transaction."""
        expression = (
            "SET full_name = :n, birthdate = :b, gender = :g, place_of_residence = :r,"
            " eid_level = :l, represents = :rep, updated_at = :now"
        )
        values = {
            ":n": identity.full_name,
            ":b": identity.birthdate,
            ":g": identity.gender,
            ":r": identity.place_of_residence,
            ":l": identity.level,
            ":rep": list(identity.represents),
            ":now": now,
        }
        links = []
        if self._person_key:
            key = self._person_key(identity.personal_id)
            expression, values[":k"] = expression + ", person_key = :k", key
            links.append(dynamo_table.put_operation(_link_item(key, citizen_id)))
        self._table.transact(
            [
                dynamo_table.update_operation(
                    dynamo.profile_key(citizen_id), expression, values, condition="attribute_exists(pk)"
                ),
                *links,
            ]
        )

    def get(self, citizen_id: str) -> Citizen | None:
        item = self._table.get(dynamo.profile_key(citizen_id))
        return _citizen(item) if item else None


def _profile_item(citizen: Citizen) -> dict[str, Any]:
    values = asdict(citizen)
    values["represents"] = list(citizen.represents)
    return {**dynamo.profile_key(citizen.citizen_id), **values}


def _link_item(person_key: str, citizen_id: str) -> dict[str, Any]:
    return {**dynamo.person_link_key(person_key), "citizen_id": citizen_id}


def _citizen(item: dict[str, Any]) -> Citizen:
    return Citizen(
        citizen_id=item["citizen_id"],
        eid_subject=item["eid_subject"],
        personal_id=item["personal_id"],
        full_name=item["full_name"],
        birthdate=item["birthdate"],
        gender=item["gender"],
        place_of_residence=item["place_of_residence"],
        eid_level=int(item["eid_level"]),
        represents=tuple(item.get("represents", [])),
        created_at=int(item["created_at"]),
        updated_at=int(item["updated_at"]),
    )


class DynamoSessionRepository:
    def __init__(self, table: DynamoTable):
        self._table = table

    def open(self, session: Session, refresh_hash: str) -> None:
        self._table.transact(
            [
                dynamo_table.put_operation(_session_item(session), "attribute_not_exists(pk)"),
                dynamo_table.put_operation(_refresh_item(refresh_hash, session), "attribute_not_exists(pk)"),
            ]
        )

    def get(self, citizen_id: str, session_id: str) -> Session | None:
        item = self._table.get(dynamo.session_key(citizen_id, session_id), consistent=True)
        return _session(item) if item else None

    def of_ids(self, citizen_id: str, session_ids: list[str]) -> list[Session]:
        """The sessions among these ids that still exist, in one BatchGetItem (a device names its session)."""
        if not session_ids:
            return []
        keys = [dynamo.session_key(citizen_id, session_id) for session_id in sorted(set(session_ids))]
        return [_session(item) for item in self._table.get_many(keys, consistent=True).values()]

    def get_with_profile(self, citizen_id: str, session_id: str) -> tuple[Session | None, Citizen | None]:
        """Both live in the citizen's partition: one consistent BatchGetItem serves every authenticated read."""
        session_key, profile_key = dynamo.session_key(citizen_id, session_id), dynamo.profile_key(citizen_id)
        found = self._table.get_many([session_key, profile_key], consistent=True)
        session, profile = (found.get((key["pk"], key["sk"])) for key in (session_key, profile_key))
        return (_session(session) if session else None), (_citizen(profile) if profile else None)

    def list(self, citizen_id: str) -> list[Session]:
        """Every stored session, page after page: expired ones linger until TTL, and a citizen past a hundred
        must still see (and end) the newest."""
        return [_session(item) for item in self._table.query_all(f"CITIZEN#{citizen_id}", dynamo.SESSION_PREFIX)]

    def end(self, citizen_id: str, session_id: str) -> bool:
        """Logout, an ended session and refresh-token reuse all end here: the session's push devices go too."""
        ended = self._table.delete(dynamo.session_key(citizen_id, session_id)) is not None
        DynamoDeviceRepository(self._table).delete_session_devices(citizen_id, session_id)
        return ended

    def find_refresh(self, token_hash: str) -> RefreshRecord | None:
        item = self._table.get(dynamo.refresh_key(token_hash), consistent=True)
        if not item:
            return None
        return RefreshRecord(
            token_hash=token_hash,
            citizen_id=item["citizen_id"],
            session_id=item["session_id"],
            rotated=item["status"] == _ROTATED,
            expires_at=int(item["expires_at"]),
        )

    def rotate(
        self, old_hash: str, new_hash: str, session: Session, now: int, successor: SealedSuccessor | None = None
    ) -> None:
        """Exactly one caller can move a refresh token from active to rotated; the sealed successor is written in
        the same transaction, so a rotated token never lacks it during its grace window."""
        operations = [
            dynamo_table.update_operation(
                dynamo.refresh_key(old_hash),
                "SET #s = :rotated, rotated_at = :now",
                {":rotated": _ROTATED, ":now": now, ":active": _ACTIVE},
                condition="#s = :active",
            ),
            dynamo_table.put_operation(_refresh_item(new_hash, session), "attribute_not_exists(pk)"),
            dynamo_table.update_operation(
                dynamo.session_key(session.citizen_id, session.session_id),
                "SET last_refreshed_at = :now, idle_expires_at = :idle",
                {":now": now, ":idle": session.idle_expires_at},
                condition="attribute_exists(pk)",
            ),
        ]
        operations[0]["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
        if successor is not None:
            operations.append(dynamo_table.put_operation(_grace_item(old_hash, successor)))
        try:
            self._table.transact(operations)
        except ConditionFailed as lost:
            raise (RefreshRaceLost() if lost.reasons[0] == "ConditionalCheckFailed" else SessionGone()) from lost

    def find_successor(self, old_hash: str, now: int) -> SealedSuccessor | None:
        """DynamoDB deletes the item some time after its TTL: the window ends at `grace_until`, not then."""
        item = self._table.get(dynamo.refresh_grace_key(old_hash), consistent=True)
        if not item or int(item["grace_until"]) <= now:
            return None
        return SealedSuccessor(item["successor_hash"], item["sealed"], int(item["grace_until"]))


def _grace_item(old_hash: str, successor: SealedSuccessor) -> dict[str, Any]:
    return {
        **dynamo.refresh_grace_key(old_hash),
        "successor_hash": successor.successor_hash,
        "sealed": successor.sealed,
        "grace_until": successor.grace_until,
        "expires_at": successor.grace_until,
    }


def _session_item(session: Session) -> dict[str, Any]:
    return {
        **dynamo.session_key(session.citizen_id, session.session_id),
        **asdict(session),
        "expires_at": session.absolute_expires_at,
    }


def _refresh_item(token_hash: str, session: Session) -> dict[str, Any]:
    return {
        **dynamo.refresh_key(token_hash),
        "citizen_id": session.citizen_id,
        "session_id": session.session_id,
        "status": _ACTIVE,
        "expires_at": session.absolute_expires_at,
    }


def _session(item: dict[str, Any]) -> Session:
    return Session(
        session_id=item["session_id"],
        citizen_id=item["citizen_id"],
        eid_level=int(item["eid_level"]),
        created_at=int(item["created_at"]),
        last_refreshed_at=int(item["last_refreshed_at"]),
        idle_expires_at=int(item["idle_expires_at"]),
        absolute_expires_at=int(item["absolute_expires_at"]),
        device_name=item.get("device_name", ""),
        user_agent=item.get("user_agent", ""),
    )
