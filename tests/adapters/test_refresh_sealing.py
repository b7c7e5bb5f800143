"""The sealed successor opens only with its predecessor token, and shows nothing of the successor."""

import secrets

from chalicelib.adapters.refresh_sealing import AesGcmSuccessorSealer


def test_only_the_predecessor_opens_the_successor():
    sealer, predecessor, successor = AesGcmSuccessorSealer(), secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    sealed = sealer.seal(predecessor, successor)
    assert successor not in sealed
    assert sealer.unseal(predecessor, sealed) == successor
    assert sealer.unseal(secrets.token_urlsafe(32), sealed) is None


def test_a_tampered_or_garbled_seal_opens_to_nothing():
    sealer, predecessor = AesGcmSuccessorSealer(), secrets.token_urlsafe(32)
    sealed = sealer.seal(predecessor, secrets.token_urlsafe(32))
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    for bad in (flipped, "", "not base64 !", sealed[:10]):
        assert sealer.unseal(predecessor, bad) is None
