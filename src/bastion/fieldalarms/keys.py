"""Device keys and message signatures.

A device's key is ``HMAC-SHA256(server secret, "bastion-fieldalarm:" + device id + ":" +
nonce)``, base64url: the server can derive it when a message comes, the database holds only
the nonce and the key's SHA-256, so a copy of the database alone signs nothing. It is shown
once, when the device is registered or its key rotated (a new nonce); a revoked device's
messages are refused.

A message is a JSON object; ``sig`` is the hex HMAC-SHA256, with the device's key, of the
object without ``sig`` in canonical form: keys sorted, no spaces, UTF-8 (what
``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` writes; RFC
8785's form for the values a device sends).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any


def new_nonce() -> str:
    return secrets.token_hex(16)


def derive(secret: str, code: str, nonce: str) -> str:
    mac = hmac.new(secret.encode(), f"bastion-fieldalarm:{code}:{nonce}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def canonical(message: dict[str, Any]) -> bytes:
    body = {k: v for k, v in message.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def signature(message: dict[str, Any], key: str) -> str:
    return hmac.new(key.encode(), canonical(message), hashlib.sha256).hexdigest()


def signed(message: dict[str, Any], key: str) -> dict[str, Any]:
    """The message with its ``sig`` (what a device, the demo and the tests send)."""
    body = {k: v for k, v in message.items() if k != "sig"}
    return {**body, "sig": signature(body, key)}


def verify(message: dict[str, Any], key: str) -> bool:
    given = message.get("sig")
    return isinstance(given, str) and hmac.compare_digest(given.lower(),
                                                          signature(message, key))
