"""MLflow's JSON wire format, shared by the server (encode) and the REST store (decode).

Pure Python with no web framework, so the client side stays light.
"""

from cairn.wire.decode import (
    decode_dataset_input,
    decode_dataset_summary,
    decode_experiment,
    decode_file_info,
    decode_logged_model,
    decode_metric,
    decode_run,
    decode_run_info,
)
from cairn.wire.encode import (
    encode_dataset_input,
    encode_experiment,
    encode_file_info,
    encode_logged_model,
    encode_metric,
    encode_run,
    encode_run_info,
)

__all__ = [
    "decode_dataset_input",
    "decode_dataset_summary",
    "decode_experiment",
    "decode_file_info",
    "decode_logged_model",
    "decode_metric",
    "decode_run",
    "decode_run_info",
    "encode_dataset_input",
    "encode_experiment",
    "encode_file_info",
    "encode_logged_model",
    "encode_metric",
    "encode_run",
    "encode_run_info",
]
