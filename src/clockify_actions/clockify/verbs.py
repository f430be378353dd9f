"""The one-request verbs of `ClockifyClient`: each sends one request through the client's
`_call` (retries, pacing, caps, errors) and parses its answer into the model asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from clockify_actions.clockify.light import WireObject
from clockify_actions.clockify.parsing import parsed, parsed_list
from clockify_actions.clockify.sending import settled
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome

if TYPE_CHECKING:
    from pydantic import BaseModel

    from clockify_actions.clockify.forms import Form
    from clockify_actions.clockify.sending import Answer

Model = TypeVar("Model", bound="BaseModel | WireObject")


class Verbs:
    """A request of each kind Clockify's routes take; `_call` is the client's."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | Sequence[Mapping[str, Any]] | Form | None = None,
        deadline: float | None = None,
        reports: bool = False,
        post_reads: bool | None = None,
        raw: bool = False,
    ) -> Answer:
        raise NotImplementedError

    def get(self, path: str, model: type[Model], params: Mapping[str, Any] | None = None) -> Model:
        return parsed("GET", path, model, self._call("GET", path, params=params))

    def post(self, path: str, body: Mapping[str, Any] | Form | None, model: type[Model]) -> Model:
        """A POST of a JSON body, a `Form` sent as multipart/form-data, or (None) none."""
        return parsed("POST", path, model, self._call("POST", path, body=body))

    def patch(self, path: str, body: Mapping[str, Any] | None, model: type[Model]) -> Model:
        return parsed("PATCH", path, model, self._call("PATCH", path, body=body))

    def put(
        self,
        path: str,
        body: Mapping[str, Any] | Form,
        model: type[Model],
        params: Mapping[str, Any] | None = None,
    ) -> Model:
        """A PUT of a JSON body, or a `Form` sent as multipart/form-data."""
        return parsed("PUT", path, model, self._call("PUT", path, params=params, body=body))

    def put_list(
        self,
        path: str,
        body: Sequence[Mapping[str, Any]],
        model: type[Model],
        params: Mapping[str, Any] | None = None,
    ) -> list[Model]:
        """A PUT whose body and answer are JSON arrays, such as a bulk edit."""
        answer = self._call("PUT", path, params=params, body=body)
        return parsed_list("PUT", path, model, answer)

    def patch_empty(self, path: str, body: Mapping[str, Any]) -> None:
        """A PATCH that Clockify answers without a body (204). A body instead is not the
        answer expected: a contract error, with the write applied (Clockify took it)."""
        answer = self._call("PATCH", path, body=body)
        if answer.body is not None:
            unexpected = ActionError(
                ErrorType.CONTRACT,
                f"Clockify answered PATCH {path} with a body, where it answers none (204).",
            )
            raise settled(unexpected, "PATCH", answer.attempts, WriteOutcome.APPLIED)

    def query(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        """A search on the API host answered with one object (`POST /time-off/requests`):
        a POST whose body is the query, which changes nothing, retried as a read is."""
        return parsed("POST", path, model, self._call("POST", path, body=body, post_reads=True))

    def get_file(self, path: str) -> tuple[bytes, str]:
        """A file's bytes as sent (any media type is accepted), and its Content-Type."""
        answer = self._call("GET", path, raw=True)
        return answer.body, str(answer.headers.get("content-type", ""))

    def delete(self, path: str) -> None:
        self._call("DELETE", path)

    def delete_returning(self, path: str, model: type[Model]) -> Model:
        """A DELETE whose answer is the deleted record (Clockify's clients, tags, tasks)."""
        return parsed("DELETE", path, model, self._call("DELETE", path))

    def delete_list(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """A DELETE that answers with a JSON array, such as the records it deleted."""
        return parsed_list("DELETE", path, model, self._call("DELETE", path, params=params))

    def report(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        """A report from the reports host: a POST that reads, retried as a read is."""
        answer = self._call("POST", path, body=body, reports=True)
        return parsed("POST", path, model, answer, reports=True)

    def get_list(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """An unpaginated list, such as `GET /workspaces`."""
        return parsed_list("GET", path, model, self._call("GET", path, params=params))

    def search(
        self, path: str, body: Mapping[str, Any], model: type[Model], params: Mapping[str, Any]
    ) -> list[Model]:
        """One page of a list asked for with a POST that changes nothing (a webhook's
        logs): retried as a read is."""
        answer = self._call("POST", path, params=params, body=body, post_reads=True)
        return parsed_list("POST", path, model, answer)

    def on_reports(
        self,
        method: str,
        path: str,
        model: type[Model],
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Model:
        """A request to the reports host that is no report (a shared report's GET, POST,
        PUT): its POST is a write, never sent twice, as on the main host."""
        answer = self._call(method, path, params=params, body=body, reports=True, post_reads=False)
        return parsed(method, path, model, answer)

    def delete_on_reports(self, path: str) -> None:
        self._call("DELETE", path, reports=True, post_reads=False)
