"""Recorded results: the headline figures a notebook reports, and the data files it read.

Inside a kernel, each record is also emitted as a display output with a dictamen MIME type, so
the runner can read it from the executed notebook (the way scrapbook does); outside a kernel the
values are simply kept in memory. A notebook never depends on the runner to work.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any

RESULTS_MIME = "application/vnd.dictamen.results+json"
DATA_MIME = "application/vnd.dictamen.data+json"
VERDICT_MIME = "application/vnd.dictamen.verdict+json"

_results: dict[str, Any] = {}
_data_read: dict[str, str] = {}
_verdict: dict[str, Any] = {}


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars, dates, NaN and frames into plain JSON values."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in value]
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return to_jsonable(value.to_dict(orient="records"))
    if isinstance(value, pd.Series):
        return to_jsonable(value.to_dict())
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (np.generic, np.ndarray)):
        return to_jsonable(value.tolist())
    raise TypeError(f"cannot record a value of type {type(value).__name__}: {value!r}")


def _emit(mime: str, payload: dict[str, Any], markdown: str | None = None) -> None:
    ipython = sys.modules.get("IPython")  # a kernel has imported it; without it there is no shell
    if ipython is None:
        return
    shell = ipython.get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    from IPython.display import display

    bundle: dict[str, Any] = {mime: payload}
    if markdown is not None:
        bundle["text/markdown"] = markdown
    display(bundle, raw=True)


def record(key: str, value: Any) -> Any:
    """Record one headline figure under ``key`` and return the value unchanged."""
    plain = to_jsonable(value)
    _results[key] = plain
    _emit(RESULTS_MIME, {key: plain})
    return value


def record_many(values: Mapping[str, Any]) -> None:
    """Record several headline figures at once."""
    plain = {key: to_jsonable(value) for key, value in values.items()}
    _results.update(plain)
    _emit(RESULTS_MIME, plain)


def verdict(sentences: Sequence[str], figures: Sequence[Mapping[str, str]], language: str = "en") -> None:
    """The answer first: one to three plain sentences and the three to six numbers that carry them.

    ``sentences`` are Markdown with every data value already escaped (dictamen.prose); each figure is
    ``{"label": ..., "value": ..., "detail": ...}`` (detail optional: an interval, a unit, a base),
    all formatted for ``language``. Shown in the notebook as Markdown; the HTML export places it
    under the page title, and the site index leads the report's card with the first sentence.
    """
    payload = {"language": language, "sentences": [str(text) for text in sentences],
               "figures": [{"label": str(item["label"]), "value": str(item["value"]),
                            "detail": str(item.get("detail", "") or "")} for item in figures]}
    _verdict.clear()
    _verdict.update(payload)
    lines = [" ".join(payload["sentences"]), ""]
    lines += [f"- **{item['label']}**: {item['value']}" + (f" ({item['detail']})" if item["detail"] else "")
              for item in payload["figures"]]
    _emit(VERDICT_MIME, payload, markdown="\n".join(lines))


def note_data_read(path: str, sha256: str, location: str | None = None) -> None:
    """Note that this run read the data file ``path`` (as shown in reports) with this hash.

    ``location`` is where the runner can find the file again to check the hash (project-relative,
    or absolute for a file outside the project); it is used for caching and never shown in a report.
    """
    if _data_read.get(path) == sha256:
        return
    _data_read[path] = sha256
    _emit(DATA_MIME, {"path": path, "sha256": sha256, "location": location or path})


def recorded() -> dict[str, Any]:
    """Results recorded in this process so far."""
    return dict(_results)


def recorded_verdict() -> dict[str, Any]:
    """The verdict given in this process so far (empty if none)."""
    return dict(_verdict)


def reset() -> None:
    """Forget everything recorded in this process (a kernel reused for another report starts clean)."""
    _results.clear()
    _data_read.clear()
    _verdict.clear()


def data_read() -> dict[str, str]:
    """Data files read in this process so far, path -> sha256."""
    return dict(_data_read)


def _outputs_with(nb: Any, mime: str):
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if mime in data:
                yield data[mime]


def results_from_notebook(nb: Any) -> dict[str, Any]:
    """The results an executed notebook recorded, later records overriding earlier ones."""
    results: dict[str, Any] = {}
    for payload in _outputs_with(nb, RESULTS_MIME):
        results.update(payload)
    return results


def data_from_notebook(nb: Any) -> dict[str, str]:
    """The data files an executed notebook read: project-relative path -> sha256."""
    return {payload["path"]: payload["sha256"] for payload in _outputs_with(nb, DATA_MIME)}


def verdict_from_notebook(nb: Any) -> dict[str, Any]:
    """The last verdict an executed notebook gave (empty if none)."""
    found: dict[str, Any] = {}
    for payload in _outputs_with(nb, VERDICT_MIME):
        found = dict(payload)
    return found


def data_locations_from_notebook(nb: Any) -> dict[str, str]:
    """Where the data files an executed notebook read can be found again: location -> sha256."""
    return {payload.get("location", payload["path"]): payload["sha256"] for payload in _outputs_with(nb, DATA_MIME)}
