"""Writing a crawl's WARC files with warcio: records as served, files per run and size.

Each HTTP exchange becomes a ``request`` and a ``response`` record, or a ``revisit``
when the same URI was captured before with the same payload digest (an unchanged page
of an hourly crawl costs a few hundred bytes). Every record is flushed to the operating
system before its position is handed out, so a row of the archive that names a record
can only be committed after the record is whole in the file (a killed crawl loses
nothing the system has; files are synced to the disk when they close). Gzip per
record: a file cut short by a killed crawl is still read up to its last whole record.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
DEFAULT_MAX_BYTES = 1 << 30


@dataclass(frozen=True)
class CaptureRef:
    """Where a record is and what it holds: a ``captures`` row."""

    record_id: str
    warc_type: str
    uri: str
    warc_date: str
    status: int | None
    content_type: str | None
    payload_digest: str
    refers_to: str | None
    filename: str
    offset: int
    length: int

    def row(self, run_id: int | None) -> dict[str, Any]:
        return {"run_id": run_id, **self.__dict__}


@dataclass(frozen=True)
class Earlier:
    """A response captured before: what a revisit record refers to."""

    record_id: str
    warc_date: str


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcCapture:
    """The WARC files of one crawl run."""

    def __init__(
        self,
        folder: Path,
        *,
        source: str,
        run_id: int,
        software: str,
        settings: Mapping[str, Any],
        earlier: Mapping[tuple[str, str], Earlier] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.folder = folder
        self.source = source
        self.run_id = run_id
        self.software = software
        self.settings = dict(settings)
        self.max_bytes = max_bytes
        self.earlier: dict[tuple[str, str], Earlier] = dict(earlier or {})
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._name: str | None = None
        self._sequence = 0
        self.files: list[str] = []

    # -- files ----------------------------------------------------------------------

    def _open(self) -> WARCWriter:
        if self._writer is not None and self._file is not None:
            if self._file.tell() < self.max_bytes:
                return self._writer
            self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        self._sequence += 1
        name = f"{self.source}-{self.run_id:06d}-{stamp}-{self._sequence:05d}.warc.gz"
        # "x": a file of another run is never appended to or overwritten.
        self._file = open(self.folder / name, "xb")  # noqa: SIM115 - kept open for the run
        self._name = name
        self.files.append(name)
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        info = self._writer.create_warcinfo_record(
            name,
            {
                "software": self.software,
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "isPartOf": f"{self.source} run {self.run_id}",
                "description": json.dumps(self.settings, sort_keys=True),
            },
        )
        self._write(info)
        return self._writer

    def _write(self, record: Any) -> tuple[int, int]:
        assert self._writer is not None and self._file is not None
        offset = self._file.tell()
        self._writer.write_record(record)
        # In the operating system's hands: a killed crawl cannot lose it any more.
        self._file.flush()
        return offset, self._file.tell() - offset

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        self._file = self._writer = self._name = None

    # -- records --------------------------------------------------------------------

    def exchange(
        self,
        *,
        method: str,
        url: str,
        request_headers: Sequence[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: Sequence[tuple[str, str]],
        body: bytes,
        moment: dt.datetime | None = None,
    ) -> CaptureRef:
        """Write one HTTP exchange: its response (or revisit) record, then its request."""
        writer = self._open()
        date = _warc_date(moment or dt.datetime.now(dt.UTC))
        http = StatusAndHeaders(
            f"{status} {reason}".strip(), list(response_headers), protocol="HTTP/1.1"
        )
        content_type = http.get_header("Content-Type")
        record = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        before = self.earlier.get((url, digest)) if body else None
        if before is not None:
            record = writer.create_revisit_record(
                url,
                digest,
                url,
                before.warc_date,
                http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": before.record_id},
            )
            # warcio names the WARC/1.0 profile whatever the version written.
            record.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILE)
        offset, length = self._write(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        if before is None and body:
            self.earlier[(url, digest)] = Earlier(record_id, date)
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "") or "/"
        request = writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{method} {target} HTTP/1.1", list(request_headers), is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        )
        self._write(request)
        assert self._name is not None
        return CaptureRef(
            record_id=record_id,
            warc_type="revisit" if before is not None else "response",
            uri=url,
            warc_date=date,
            status=status,
            content_type=content_type,
            payload_digest=digest,
            refers_to=before.record_id if before is not None else None,
            filename=self._name,
            offset=offset,
            length=length,
        )

    def metadata(self, concurrent_to: str, url: str, fields: Mapping[str, Any]) -> None:
        """What the parser read from a response, beside it (``WARC-Concurrent-To``)."""
        writer = self._open()
        payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()
        record = writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(payload),
            length=len(payload),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Concurrent-To": concurrent_to},
        )
        self._write(record)
