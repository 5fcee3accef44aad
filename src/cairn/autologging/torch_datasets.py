"""Dataset records for what PyTorch-based trainers train on: a ``Dataset`` or ``DataLoader``.

MLflow's Lightning and Transformers autologging log no dataset, so a run cannot say which data
made its model; cairn logs one. A torch dataset is any object with ``__len__`` and
``__getitem__`` (items may be computed on the fly), so only the rows the digest reads are
materialised: ``cairn.data.from_numpy`` hashes the first ``DIGEST_ROWS`` rows and the full
shape, so those rows and the dataset's length (``total_rows``) give the record of the whole
data without loading all of it.

Items are understood as ``TensorDataset`` gives them (``(features, targets)``), as a single
tensor, or as Transformers' dicts (features ``input_ids``, or the first key; targets
``labels``/``label``). Anything else (ragged rows, iterable datasets) gets no record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cairn import data
from cairn.data import DIGEST_ROWS
from cairn.entities import Dataset

_TARGET_KEYS = ("labels", "label", "label_ids")


def _as_array(value: Any) -> Any:
    import numpy as np

    detach = getattr(value, "detach", None)
    if detach is not None:  # a torch tensor, possibly on a GPU
        return detach().cpu().numpy()
    return np.asarray(value)


def _split(item: Any) -> tuple[Any, Any]:
    """(features, targets) of one item; targets may be None."""
    if isinstance(item, dict):
        target_key = next((k for k in _TARGET_KEYS if k in item), None)
        feature_key = "input_ids" if "input_ids" in item else next(iter(item))
        if feature_key == target_key:
            return item[feature_key], None
        return item[feature_key], item[target_key] if target_key else None
    if isinstance(item, (tuple, list)):
        return item[0], item[1] if len(item) > 1 else None
    return item, None


def _stacked(values: Sequence[Any]) -> Any:
    import numpy as np

    return np.stack([_as_array(v) for v in values])


def dataset_record(dataset: Any, name: str = "dataset") -> Dataset | None:
    """A record of ``dataset`` (or a ``DataLoader``'s dataset); None when its rows are not
    fixed-shape arrays."""
    dataset = getattr(dataset, "dataset", dataset)  # a DataLoader
    tensors = getattr(dataset, "tensors", None)
    if tensors:  # TensorDataset: the whole data is already in memory
        arrays = [_as_array(t) for t in tensors[:2]]
        targets = arrays[1] if len(arrays) > 1 else None
        return data.from_numpy(arrays[0], targets=targets, name=name)
    try:
        length = len(dataset)
        items = [_split(dataset[i]) for i in range(min(length, DIGEST_ROWS))]
        if not items:
            return None
        features = _stacked([f for f, _ in items])
        has_targets = all(t is not None for _, t in items)
        targets = _stacked([t for _, t in items]) if has_targets else None
    except (TypeError, ValueError, KeyError, IndexError, StopIteration):  # odd items: no record
        return None
    return data.from_numpy(features, targets=targets, name=name, total_rows=length)
