"""AWS Signature Version 4, checked against the team access keys users create in Stepwright.

The signing maths is botocore's (`botocore.auth.SigV4Auth`): we rebuild the request the client signed,
from the headers it says it signed, let botocore compute the signature with the stored secret, and
compare in constant time. Errors are AWS's: MissingAuthenticationTokenException (no signature),
IncompleteSignatureException (a malformed one), UnrecognizedClientException (an unknown or revoked
key), InvalidSignatureException (a wrong or expired signature).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials
from django.http import HttpRequest
from django.utils import timezone

from designer.aws import crypto
from designer.errors import ServiceError
from designer.models import Membership
from sfn.errors import SfnError
from sfn.models import AccessKey

SERVICE = "states"
ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = timedelta(minutes=15)  # AWS's window for a request's X-Amz-Date
_AUTH = re.compile(r"^AWS4-HMAC-SHA256\s+(?P<fields>.+)$", re.S)
_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details."
)


@dataclass(frozen=True)
class Caller:
    key: AccessKey
    region: str

    @property
    def team(self):
        return self.key.team

    @property
    def user(self):
        return self.key.user


class _Signer(SigV4Auth):
    """botocore's SigV4 over exactly the headers the client listed in SignedHeaders."""

    def __init__(self, credentials: Credentials, region: str, signed: list[str]):
        super().__init__(credentials, SERVICE, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        headers = HTTPHeaders()
        for name in self._signed:
            value = request.headers.get(name)
            if value is not None:
                headers[name] = value
        return headers


def _fields(header: str) -> dict[str, str]:
    match = _AUTH.match(header.strip())
    if match is None:
        raise SfnError(
            "IncompleteSignatureException",
            f"Authorization header requires the {ALGORITHM} algorithm with Credential, SignedHeaders and "
            "Signature parameters.",
        )
    fields = {}
    for part in match.group("fields").split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value
    absent = [n for n in ("Credential", "SignedHeaders", "Signature") if not fields.get(n)]
    if absent:
        raise SfnError(
            "IncompleteSignatureException",
            f"Authorization header requires '{absent[0]}' parameter. Authorization={header}",
        )
    return fields


def _key(access_key_id: str) -> AccessKey:
    key = (
        AccessKey.objects.select_related("team", "user")
        .filter(access_key_id=access_key_id, revoked_at__isnull=True)
        .first()
    )
    if (
        key is None
        or not key.user.is_active
        or not Membership.objects.filter(team_id=key.team_id, user_id=key.user_id).exists()
    ):
        raise SfnError("UnrecognizedClientException", "The security token included in the request is invalid.")
    return key


def _request_time(request: HttpRequest, scope_date: str) -> str:
    stamp = request.headers.get("X-Amz-Date", "")
    try:
        when = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise SfnError(
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    now = timezone.now()
    if abs(now - when) > MAX_SKEW:
        raise SfnError(
            "InvalidSignatureException",
            f"Signature expired: {stamp} is now earlier than {(now - MAX_SKEW).strftime('%Y%m%dT%H%M%SZ')} "
            f"({now.strftime('%Y%m%dT%H%M%SZ')} - 15 min.)"
            if when < now
            else f"Signature not yet current: {stamp} is still later than "
            f"{(now + MAX_SKEW).strftime('%Y%m%dT%H%M%SZ')} ({now.strftime('%Y%m%dT%H%M%SZ')} + 15 min.)",
        )
    if stamp[:8] != scope_date:
        raise SfnError(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 "
            f"version of date from HTTP: '{scope_date}' != '{stamp[:8]}', from '{stamp}'.",
        )
    return stamp


def authenticate(request: HttpRequest) -> Caller:
    """The caller of a signed request, or an SfnError as AWS would answer."""
    header = request.headers.get("Authorization")
    if not header:
        raise SfnError("MissingAuthenticationTokenException", "Missing Authentication Token", status=403)
    fields = _fields(header)
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise SfnError(
            "IncompleteSignatureException",
            f"Credential should be scoped to a valid region, service and date. Credential={fields['Credential']}",
        )
    access_key_id, scope_date, region, service, _ = scope
    key = _key(access_key_id)
    if service != SERVICE:
        raise SfnError(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{SERVICE}'. ",
        )
    stamp = _request_time(request, scope_date)
    signed = [name.strip().lower() for name in fields["SignedHeaders"].split(";") if name.strip()]
    if "host" not in signed:
        raise SfnError("InvalidSignatureException", "'Host' must be a signed header.")
    body = request.body
    declared = request.headers.get("X-Amz-Content-SHA256")
    # The body is always signed here (no UNSIGNED-PAYLOAD): a declared hash must be the body's.
    if declared and declared != hashlib.sha256(body).hexdigest():
        raise SfnError("InvalidSignatureException", _SIGNATURE_MISMATCH)

    headers = {name: request.headers.get(name) for name in signed}
    if any(value is None for value in headers.values()):
        raise SfnError("InvalidSignatureException", _SIGNATURE_MISMATCH)
    if declared:
        headers["X-Amz-Content-SHA256"] = declared  # botocore uses it as the payload hash
    rebuilt = AWSRequest(
        method=request.method, url=f"http://localhost{request.get_full_path()}", headers=headers, data=body
    )
    rebuilt.context["timestamp"] = stamp
    try:
        secret = crypto.decrypt(key.secret_encrypted)["secret_access_key"]
    except ServiceError:  # the encryption key changed: the key pair has to be made again
        raise SfnError("UnrecognizedClientException", "The security token included in the request is invalid.")
    signer = _Signer(Credentials(access_key_id, secret), region, signed)
    canonical = signer.canonical_request(rebuilt)
    expected = signer.signature(signer.string_to_sign(rebuilt, canonical), rebuilt)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise SfnError("InvalidSignatureException", _SIGNATURE_MISMATCH)
    if key.last_used_at is None or timezone.now() - key.last_used_at > timedelta(minutes=1):
        AccessKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return Caller(key=key, region=region)
