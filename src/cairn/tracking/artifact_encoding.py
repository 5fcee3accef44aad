"""Turn in-memory objects (text, dicts, images, figures) into artifact bytes.

Each heavy library is imported only when an object of its kind is logged.
"""

from __future__ import annotations

import io
import json
from typing import Any

from cairn.errors import InvalidParameterValue


def encode_text(text: str) -> bytes:
    return text.encode("utf-8")


def encode_dict(dictionary: Any, artifact_file: str) -> bytes:
    """JSON by default; YAML when the file name says so."""
    if artifact_file.endswith((".yaml", ".yml")):
        import yaml

        return yaml.safe_dump(dictionary, default_flow_style=False, sort_keys=False).encode()
    return json.dumps(dictionary, indent=2).encode()


def decode_dict(data: bytes, artifact_file: str) -> Any:
    if artifact_file.endswith((".yaml", ".yml")):
        import yaml

        return yaml.safe_load(data)
    return json.loads(data)


def _image_format(artifact_file: str) -> str:
    ext = artifact_file.rsplit(".", 1)[-1].lower() if "." in artifact_file else ""
    formats = {
        "png": "PNG",
        "jpg": "JPEG",
        "jpeg": "JPEG",
        "gif": "GIF",
        "bmp": "BMP",
        "webp": "WEBP",
    }
    if ext not in formats:
        raise InvalidParameterValue(
            f"Cannot tell the image format of '{artifact_file}': use one of "
            f"{', '.join(sorted(formats))}."
        )
    return formats[ext]


def _array_to_pil(array: Any) -> Any:
    import numpy as np
    from PIL import Image

    arr = np.asarray(array)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise InvalidParameterValue(
            f"An image array must be HxW, HxWx1, HxWx3 or HxWx4; got shape {arr.shape}."
        )
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if np.issubdtype(arr.dtype, np.floating):
        if arr.size and (arr.min() < 0 or arr.max() > 1):
            raise InvalidParameterValue("Float image values must lie in [0, 1].")
        arr = (arr * 255).round().astype(np.uint8)
    elif arr.dtype != np.uint8:
        if arr.size and (arr.min() < 0 or arr.max() > 255):
            raise InvalidParameterValue("Integer image values must lie in [0, 255].")
        arr = arr.astype(np.uint8)
    return Image.fromarray(arr)


def encode_image(image: Any, artifact_file: str) -> bytes:
    """A PIL image or a numpy array (uint8, or floats in [0, 1])."""
    fmt = _image_format(artifact_file)
    pil = image if hasattr(image, "save") and hasattr(image, "mode") else _array_to_pil(image)
    if fmt == "JPEG" and pil.mode in ("RGBA", "LA", "P"):
        pil = pil.convert("RGB")
    buffer = io.BytesIO()
    pil.save(buffer, format=fmt)
    return buffer.getvalue()


def encode_figure(figure: Any, artifact_file: str) -> bytes:
    """A matplotlib figure, rendered in the format of the file name (png, svg, pdf...)."""
    if not hasattr(figure, "savefig"):
        raise InvalidParameterValue(
            f"log_figure expects a matplotlib Figure; got {type(figure).__name__}."
        )
    ext = artifact_file.rsplit(".", 1)[-1].lower() if "." in artifact_file else "png"
    buffer = io.BytesIO()
    figure.savefig(buffer, format=ext)
    return buffer.getvalue()
