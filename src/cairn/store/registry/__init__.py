"""Model Registry storage: the interface in ``base.py``, one implementation per backend."""
