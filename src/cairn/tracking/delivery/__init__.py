"""Asynchronous, batched delivery of metrics, params and tags (see docs/logging.md).

``logger`` is what logging calls use (enqueue and return), ``sender`` the bounded queue and
the background thread, ``batches`` how queued items become one store call per run,
``losses`` the retry rule and the record of anything that could not be delivered, and
``registry`` one logger per store plus flush, close and exit handling.
"""

from cairn.tracking.delivery.logger import AsyncLogger
from cairn.tracking.delivery.sender import DeliveryOptions

__all__ = ["AsyncLogger", "DeliveryOptions"]
