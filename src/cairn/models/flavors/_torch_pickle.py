"""The ``pickle_module`` cairn gives ``torch.save`` and ``torch.load`` for whole modules.

It is the pair ``mlflow.pytorch.pickle_module`` provides: cloudpickle's pickler, so a model
class defined in ``__main__`` or a notebook is saved by value and loads elsewhere, and Python's
own unpickler (cloudpickle has none). Models name it ``mlflow.pytorch.pickle_module`` on disk,
which MLflow can import; cairn reads that name as this module, so loading needs no MLflow.
Only the PyTorch flavor imports it, when it saves or loads a pickled model.
"""

from __future__ import annotations

from pickle import Unpickler, load, loads

from cloudpickle import CloudPickler as Pickler
from cloudpickle import dump, dumps

__all__ = ["Pickler", "Unpickler", "dump", "dumps", "load", "loads"]
