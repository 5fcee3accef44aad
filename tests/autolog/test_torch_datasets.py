"""Dataset records for torch datasets equal ``from_numpy`` of the whole data."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.autologging.torch_datasets import dataset_record
from cairn.data import DIGEST_ROWS

torch = pytest.importorskip("torch")


class DictRows(torch.utils.data.Dataset):  # type: ignore[misc]
    """Items as Transformers' datasets give them, computed on access."""

    def __init__(self, ids: Any, labels: Any) -> None:
        self.ids, self.labels = ids, labels

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return {"input_ids": self.ids[i], "attention_mask": np.ones(4), "labels": self.labels[i]}


def test_a_tensor_dataset_and_its_loader_give_the_numpy_record() -> None:
    x, y = torch.randn(30, 3), torch.randint(0, 2, (30,))
    expected = cairn.data.from_numpy(x.numpy(), targets=y.numpy())
    dataset = torch.utils.data.TensorDataset(x, y)
    assert dataset_record(dataset) == expected
    assert dataset_record(torch.utils.data.DataLoader(dataset, batch_size=4)) == expected


def test_dict_items_digest_input_ids_and_labels() -> None:
    rng = np.random.default_rng(0)
    ids, labels = rng.integers(0, 50, size=(20, 4)), rng.integers(0, 2, size=20)
    record = dataset_record(DictRows(ids, labels))
    assert record is not None
    assert record.digest == cairn.data.from_numpy(ids, targets=labels).digest


def test_a_large_dataset_reads_only_the_digested_rows_and_counts_all() -> None:
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 50, size=(DIGEST_ROWS + 7, 4))
    labels = rng.integers(0, 2, size=DIGEST_ROWS + 7)
    record = dataset_record(DictRows(ids, labels))
    expected = cairn.data.from_numpy(ids, targets=labels)
    assert record is not None and record.digest == expected.digest
    assert json.loads(record.profile or "{}") == json.loads(expected.profile or "{}")


def test_ragged_or_empty_rows_give_no_record() -> None:
    ragged = [{"input_ids": [1, 2, 3]}, {"input_ids": [1]}]
    assert dataset_record(ragged) is None
    assert dataset_record([{}, {}]) is None
