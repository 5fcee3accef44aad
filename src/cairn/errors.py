"""The one exception tree of cairn.

Every error a user can cause carries MLflow's wire ``error_code`` and the HTTP status the server
answers with, so the server needs a single handler and the REST store can map codes back to the
same classes. Callers catch types; they never compare message strings.
"""

from __future__ import annotations

from typing import ClassVar


class CairnError(Exception):
    """Base of every cairn error; unknown failures surface as INTERNAL_ERROR (500)."""

    error_code: ClassVar[str] = "INTERNAL_ERROR"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"error_code": self.error_code, "message": self.message}


class InvalidParameterValue(CairnError):
    """Bad user input: validation, bad filter, changed param, inactive run or experiment."""

    error_code = "INVALID_PARAMETER_VALUE"
    http_status = 400


class BadRequest(CairnError):
    error_code = "BAD_REQUEST"
    http_status = 400


class ResourceAlreadyExists(CairnError):
    """Duplicate names. MLflow answers 400 here, not 409, and clients depend on it."""

    error_code = "RESOURCE_ALREADY_EXISTS"
    http_status = 400


class ResourceDoesNotExist(CairnError):
    """Unknown id or name; the MLflow client turns this code into ``None`` for get-by-name."""

    error_code = "RESOURCE_DOES_NOT_EXIST"
    http_status = 404


class InvalidState(CairnError):
    """The operation is not allowed in the entity's lifecycle state (e.g. renaming a deleted
    experiment). MLflow maps it to 500; we keep the code but it is still a user error."""

    error_code = "INVALID_STATE"
    http_status = 500


class PermissionDenied(CairnError):
    error_code = "PERMISSION_DENIED"
    http_status = 403


class NotImplementedByStore(CairnError):
    """The configured backend cannot do this (e.g. presigned URLs on a local store)."""

    error_code = "NOT_IMPLEMENTED"
    http_status = 501


class ServiceUnavailable(CairnError):
    """A feature switched off on this server (e.g. the artifact proxy)."""

    error_code = "TEMPORARILY_UNAVAILABLE"
    http_status = 503


class EndpointNotFound(CairnError):
    """No such route; MLflow clients fall back to older APIs on exactly this code."""

    error_code = "ENDPOINT_NOT_FOUND"
    http_status = 404


class Unauthenticated(CairnError):
    error_code = "UNAUTHENTICATED"
    http_status = 401


class Conflict(CairnError):
    """A concurrent change won (MLflow's ALREADY_EXISTS/RESOURCE_CONFLICT/ABORTED family)."""

    error_code = "RESOURCE_CONFLICT"
    http_status = 409


class RequestLimitExceeded(CairnError):
    """Too many requests; clients back off and retry."""

    error_code = "RESOURCE_EXHAUSTED"
    http_status = 429


class DeadlineExceeded(CairnError):
    error_code = "DEADLINE_EXCEEDED"
    http_status = 504


class InternalError(CairnError):
    error_code = "INTERNAL_ERROR"
    http_status = 500


_BY_CODE: dict[str, type[CairnError]] = {
    cls.error_code: cls
    for cls in (
        InvalidParameterValue,
        BadRequest,
        ResourceAlreadyExists,
        ResourceDoesNotExist,
        InvalidState,
        PermissionDenied,
        NotImplementedByStore,
        ServiceUnavailable,
        EndpointNotFound,
        Unauthenticated,
        Conflict,
        RequestLimitExceeded,
        DeadlineExceeded,
        InternalError,
    )
}
#: Codes MLflow uses as synonyms of the classes above.
_BY_CODE.update(
    {
        "CUSTOMER_UNAUTHORIZED": Unauthenticated,
        "ALREADY_EXISTS": Conflict,
        "ABORTED": Conflict,
        "REQUEST_LIMIT_EXCEEDED": RequestLimitExceeded,
        "NOT_FOUND": ResourceDoesNotExist,
        "TEMPORARILY_UNAVAILABLE": ServiceUnavailable,
    }
)


def error_from_code(error_code: str, message: str) -> CairnError:
    """Rebuild the typed error for a wire ``error_code`` (used by clients of the REST API)."""
    return _BY_CODE.get(error_code, CairnError)(message)


class LoggingIncomplete(CairnError):
    """Asynchronously logged values that never reached the store (a permanent error, or a
    store down for longer than the retry deadline). Raised by ``cairn.flush()`` and
    ``end_run()``, never by the logging call itself, so a training step is never interrupted;
    the message names the runs and counts of what was lost and why."""

    error_code = "DATA_LOSS"
    http_status = 500


class SchemaEnforcementError(InvalidParameterValue):
    """Predict-time input or params do not match the model signature. The wire code stays
    INVALID_PARAMETER_VALUE (400) as in MLflow; ``error_class`` lets the scoring server report
    MLflow's SCHEMA_ENFORCEMENT_FAILED without clients having to parse the message."""

    error_class: ClassVar[str] = "SCHEMA_ENFORCEMENT_FAILED"
