"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys from the environment.

`STEPWRIGHT_SECRET_KEY_ENCRYPTION` holds one or more comma-separated keys; the first encrypts, all
decrypt (so a key can be rotated: put the new one first, re-save, drop the old one). Each key is
either a Fernet key (urlsafe base64 of 32 bytes) or any passphrase, stretched with HKDF-SHA256.
Unset, the key is derived from Django's SECRET_KEY, which is fine on a laptop and means that
changing SECRET_KEY makes stored secrets unreadable (the connection then asks for its keys again).
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from designer.errors import ServiceError

ENV = "STEPWRIGHT_SECRET_KEY_ENCRYPTION"
_INFO = b"stepwright aws connection secrets v1"


def _fernet_key(material: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(material.encode())) == 32:
            return material.encode()
    except (binascii.Error, ValueError):
        pass
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material.encode())
    return base64.urlsafe_b64encode(derived)


def _cipher() -> MultiFernet:
    configured = [key.strip() for key in os.environ.get(ENV, "").split(",") if key.strip()]
    materials = configured or [settings.SECRET_KEY]
    return MultiFernet([Fernet(_fernet_key(material)) for material in materials])


def encrypt(values: dict[str, str]) -> str:
    return _cipher().encrypt(json.dumps(values).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    try:
        return json.loads(_cipher().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        raise ServiceError(
            "connection_secret_unreadable",
            f"This connection's access key cannot be decrypted (the encryption key changed: {ENV} or "
            "SECRET_KEY). An owner has to enter the access key pair again.",
        )
