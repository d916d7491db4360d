"""The format of an encrypted face template, the same at rest on a kiosk and on the wire.

A template is a face descriptor (``DESCRIPTOR_SIZE`` float32 numbers), never a
photo, sealed with AES-256-GCM (``KEY_BYTES`` key, ``NONCE_BYTES`` nonce,
``TAG_BYTES`` tag) and bound by :func:`associated_data` to its row, volunteer
and model. A volunteer has ``MIN_TEMPLATES`` to ``MAX_TEMPLATES`` of them.
"""

from __future__ import annotations

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
DESCRIPTOR_SIZE = 128
MIN_TEMPLATES = 3
MAX_TEMPLATES = 5

#: The face models whose templates this build can use: model version -> numbers per descriptor.
#: ``kiosk.face.engine.MODEL_VERSION`` must be here (a test checks it).
MODEL_FORMATS: dict[str, int] = {"dlib-resnet-v1": DESCRIPTOR_SIZE}


def descriptor_bytes(model_version: str) -> int | None:
    """The size of one plaintext descriptor of ``model_version``; None for a model this build does not know."""
    size = MODEL_FORMATS.get(model_version)
    return None if size is None else size * 4


def associated_data(template_id: str, volunteer_id: str, model_version: str) -> bytes:
    """What a template's ciphertext is bound to (here and on the wire): its row, volunteer and model."""
    return f"{template_id}|{volunteer_id}|{model_version}".encode()
