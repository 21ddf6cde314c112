"""Secrets at rest: Fernet with keys from STEPWRIGHT_SECRET_KEY_ENCRYPTION (or SECRET_KEY), rotatable."""

import pytest
from cryptography.fernet import Fernet

from designer.aws import crypto
from designer.errors import ServiceError


def test_it_round_trips_and_hides_the_value(monkeypatch):
    monkeypatch.delenv(crypto.ENV, raising=False)
    token = crypto.encrypt({"secret_access_key": "s3cr3t-value"})
    assert "s3cr3t" not in token
    assert crypto.decrypt(token) == {"secret_access_key": "s3cr3t-value"}
    assert crypto.encrypt({"a": "b"}) != crypto.encrypt({"a": "b"})  # a fresh IV each time


def test_it_takes_a_fernet_key_or_a_passphrase_and_rotates(monkeypatch):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV, old)
    token = crypto.encrypt({"k": "v"})
    monkeypatch.setenv(crypto.ENV, f"a new passphrase, {old}")
    assert crypto.decrypt(token) == {"k": "v"}
    rotated = crypto.encrypt({"k": "v"})
    monkeypatch.setenv(crypto.ENV, "a new passphrase")
    assert crypto.decrypt(rotated) == {"k": "v"}
    with pytest.raises(ServiceError) as raised:
        crypto.decrypt(token)
    assert raised.value.code == "connection_secret_unreadable"


def test_without_the_variable_the_key_comes_from_secret_key(monkeypatch, settings):
    monkeypatch.delenv(crypto.ENV, raising=False)
    token = crypto.encrypt({"k": "v"})
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(ServiceError):
        crypto.decrypt(token)
