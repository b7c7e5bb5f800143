"""Status-list positions against the embedded DynamoDB: drawn at random (no issuance order or volume in a
credential's index), never handed out twice, lists filled one after the other."""

import uuid

import pytest

from chalicelib import wiring
from chalicelib.adapters import dynamo, dynamo_status_lists
from chalicelib.adapters.dynamo_status_lists import DynamoStatusLists


@pytest.fixture
def own_keys(stack, monkeypatch):
    """A counter and claims of this test's own, so the shared table's real lists are neither read nor used."""
    prefix = f"STATUSLIST-TEST-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(dynamo, "status_counter_key", lambda: {"pk": prefix, "sk": "COUNTER"})
    monkeypatch.setattr(
        dynamo, "status_claim_key", lambda list_id, index: {"pk": f"{prefix}#{list_id}", "sk": f"CLAIM#{index}"}
    )
    monkeypatch.setattr(dynamo, "status_bits_key", lambda list_id: {"pk": f"{prefix}#{list_id}", "sk": "BITS"})
    return DynamoStatusLists(wiring.table())


def test_positions_are_random_and_never_reused(own_keys):
    slots = [own_keys.allocate() for _ in range(30)]
    indexes = [slot.index for slot in slots]
    assert {slot.list_id for slot in slots} == {0}
    assert len(set(indexes)) == len(indexes)
    assert indexes != sorted(indexes)
    assert indexes != list(range(30))
    assert max(indexes) > 1000  # spread over the list, not packed at its start


def test_full_lists_hand_every_entry_once_then_move_on(own_keys, monkeypatch):
    monkeypatch.setattr(dynamo_status_lists, "STATUS_LIST_SIZE", 4)
    slots = [own_keys.allocate() for _ in range(10)]
    assert sorted((s.list_id, s.index) for s in slots[:8]) == [(lst, i) for lst in (0, 1) for i in range(4)]
    assert {s.list_id for s in slots[8:]} == {2}
    assert len({(s.list_id, s.index) for s in slots}) == 10


def test_a_list_counts_as_allocated_once_a_position_in_it_was_given(own_keys):
    assert own_keys.read(0) is None
    own_keys.allocate()
    stored = own_keys.read(0)
    assert stored is not None and stored.version == 0
    assert own_keys.read(1) is None


def test_a_nearly_full_list_is_walked_to_its_free_entry(own_keys, monkeypatch):
    monkeypatch.setattr(dynamo_status_lists, "STATUS_LIST_SIZE", 4)
    monkeypatch.setattr(dynamo_status_lists, "RANDOM_TRIES", 0)
    assert sorted(own_keys.allocate().index for _ in range(4)) == [0, 1, 2, 3]
