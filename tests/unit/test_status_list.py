"""The Token Status List bit array against the specification's own examples (draft-ietf-oauth-status-list 4.1)."""

import base64
import zlib

import pytest

from chalicelib.domain.status_list import StatusList, StatusListFormatError, StatusListToken

# The spec's 1-bit and 2-bit examples: statuses by index, their byte arrays and their encodings.
SPEC_1_BIT = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]
SPEC_2_BIT = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]


def _filled(statuses: list[int], bits: int) -> StatusList:
    status_list = StatusList(len(statuses), bits)
    for index, status in enumerate(statuses):
        status_list.set(index, status)
    return status_list


def test_the_specs_1_bit_example_packs_and_encodes_as_published():
    status_list = _filled(SPEC_1_BIT, 1)
    assert status_list.to_bytes() == bytes([0xB9, 0xA3])
    assert status_list.encode() == {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}


def test_the_specs_2_bit_example_packs_and_encodes_as_published():
    status_list = _filled(SPEC_2_BIT, 2)
    assert status_list.to_bytes() == bytes([0xC9, 0x44, 0xF9])
    assert status_list.encode() == {"bits": 2, "lst": "eNo76fITAAPfAgc"}


def test_the_specs_encoded_lists_decode_to_their_statuses():
    two = StatusList.decode({"bits": 2, "lst": "eNo76fITAAPfAgc"})
    one = StatusList.decode({"bits": 1, "lst": "eNrbuRgAAhcBXQ"})
    assert [two.get(i) for i in range(12)] == SPEC_2_BIT and two.size == 12
    assert [one.get(i) for i in range(16)] == SPEC_1_BIT


def test_set_replaces_an_entry_without_touching_its_neighbours():
    status_list = _filled(SPEC_2_BIT, 2)
    status_list.set(1, 0)
    assert [status_list.get(i) for i in range(4)] == [1, 0, 0, 3]


def test_out_of_range_index_and_oversized_status_are_refused():
    status_list = StatusList(8, 2)
    with pytest.raises(IndexError):
        status_list.get(8)
    with pytest.raises(ValueError):
        status_list.set(0, 4)


@pytest.mark.parametrize(
    "claim",
    [
        {"bits": 3, "lst": "eNo76fITAAPfAgc"},
        {"bits": 2, "lst": "not base64!"},
        {"bits": 2, "lst": base64.urlsafe_b64encode(b"not zlib").decode()},
        {"bits": 2},
        "eNo76fITAAPfAgc",
    ],
)
def test_malformed_encodings_are_refused(claim):
    with pytest.raises(StatusListFormatError) as refused:
        StatusList.decode(claim)
    assert refused.value.code == "status_list_invalid"


def test_a_decompression_bomb_is_refused():
    bomb = base64.urlsafe_b64encode(zlib.compress(bytes(64 * 1024 * 1024), 9)).rstrip(b"=").decode()
    with pytest.raises(StatusListFormatError) as refused:
        StatusList.decode({"bits": 2, "lst": bomb})
    assert refused.value.code == "status_list_too_large"


def test_a_token_answers_only_for_its_own_list_while_fresh():
    token = StatusListToken("https://issuer.example/status/1", 1000, 2000, 300, _filled(SPEC_2_BIT, 2))
    assert token.status_of("https://issuer.example/status/1", 1, now=1500) == 2
    assert token.status_of("https://issuer.example/status/2", 1, now=1500) is None
    assert token.status_of("https://issuer.example/status/1", 1, now=2000) is None
    assert token.status_of("https://issuer.example/status/1", 99, now=1500) is None
