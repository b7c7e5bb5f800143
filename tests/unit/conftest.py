"""Unit tests build Settings from a minimal environment: every required setting, no real resource behind it."""

import pytest

REQUIRED_ENV = {
    "TABLE_NAME": "t",
    "TOKEN_SIGNING_KEY_ID": "k",
    "CREDENTIAL_SIGNING_KEY_ID": "k2",
    "TOKEN_ISSUER": "https://api",
    "EID_CLIENT_ID": "c",
    "EID_CLIENT_KEY_SECRET_ID": "s",
    "NOTIFICATIONS_QUEUE_URL": "q1",
    "PUSH_QUEUE_URL": "q2",
    "EXPORTS_QUEUE_URL": "q4",
    "PERSON_KEY_SECRET_ID": "s1",
    "CURSOR_KEY_SECRET_ID": "s2",
    "FCM_SERVICE_ACCOUNT_SECRET_ID": "s3",
    "DOCUMENTS_BUCKET": "b",
    "TAX_AUTHORITY_URL": "https://tax.example.gov.vn",
    "TAX_CLIENT_ID": "citizen-app",
    "TAX_CLIENT_KEY_SECRET_ID": "s4",
    "PAYMENT_GATEWAY_URL": "https://pay.example.vn",
    "PAYMENT_MERCHANT_CODE": "CITYAPP01",
    "PAYMENT_COLLECTION_BANK_BIN": "970415",
    "PAYMENT_COLLECTION_ACCOUNT": "3751071234567",
    "PAYMENT_GATEWAY_SECRET_ID": "s5",
}


@pytest.fixture
def settings_env(monkeypatch):
    """A local-stage environment with every required setting."""
    for name, value in {**REQUIRED_ENV, "STAGE": "local", "EID_ISSUER": "http://127.0.0.1:1"}.items():
        monkeypatch.setenv(name, value)
    return monkeypatch
