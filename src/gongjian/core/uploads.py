"""Every file a user uploads, checked in one place before anything reads or stores it.

Each kind of upload is declared once as an :class:`UploadKind` (the formats it takes; its limits
live in settings, ``UPLOAD_MAX_BYTES`` and ``UPLOAD_MAX_EXPANDED_BYTES``, so that a deployment sets
them from the environment). :func:`validate_upload` refuses, naming the user's file:

- a name whose suffix is not one of the kind's formats;
- content that is not the format its suffix names (checked by its first bytes, never trusted
  from the name or the browser's content type: an HTML page named ``site.jpg`` is refused);
- a file larger than the kind's limit;
- an archive (``.xlsx``, ``.docx`` are zip files) whose central directory declares more than the
  kind's expanded limit, a member compressed more than ``UPLOAD_MAX_COMPRESSION_RATIO`` times
  (a zip bomb), or too many members - all read with :mod:`zipfile` without extracting anything.

Uploads are then read from disk (:func:`upload_on_disk`) or stored; stored uploads are sent back
only through :func:`file_response`, which decides the content type from the stored bytes.

A new domain (water, soil) declares its kind here and a limit in settings; nothing else.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .problems import InvalidInput, Problem

__all__ = ["ATTACHMENT", "BOUNDARIES", "HOURLY", "KINDS", "PHOTO", "PLAN", "TABLE", "Format", "UploadKind",
           "check_attachments", "file_response", "sniff", "upload_on_disk", "validate_upload"]

#: Bytes read to recognise a format (and to tell text from binary).
HEAD = 8192
#: More members than this is no spreadsheet or document a person wrote.
MAX_ARCHIVE_MEMBERS = 10_000


def _text(head: bytes) -> bool:
    """Text (CSV, plain text, JSON) has no NUL byte; UTF-16 files and binaries do."""
    return b"\x00" not in head


def _json(head: bytes) -> bool:
    return _text(head) and head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


@dataclass(frozen=True)
class Format:
    """A file format as its content shows it: ``matches(first bytes)``; an ``archive`` is a zip
    container that must hold ``member``. ``image`` formats may be shown inline in a page."""

    name: str
    suffixes: tuple[str, ...]
    content_type: str
    matches: Callable[[bytes], bool]
    member: str = ""
    image: bool = False

    @property
    def archive(self) -> bool:
        return bool(self.member)


CSV = Format("CSV", (".csv",), "text/csv", _text)
TEXT = Format(gettext_lazy("plain text"), (".txt",), "text/plain", _text)
GEOJSON = Format("GeoJSON", (".geojson", ".json"), "application/geo+json", _json)
XLSX = Format("Excel", (".xlsx", ".xlsm"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              lambda head: head.startswith(b"PK\x03\x04"), member="xl/workbook.xml")
XLS = Format("Excel 97-2003", (".xls",), "application/vnd.ms-excel",
             lambda head: head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
DOCX = Format("Word", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              lambda head: head.startswith(b"PK\x03\x04"), member="word/document.xml")
PDF = Format("PDF", (".pdf",), "application/pdf", lambda head: head.startswith(b"%PDF-"))
JPEG = Format("JPEG", (".jpg", ".jpeg"), "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff"), image=True)
PNG = Format("PNG", (".png",), "image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), image=True)
WEBP = Format("WebP", (".webp",), "image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
              image=True)
#: Raster images a browser shows and never runs: what a stored file may be served inline as.
IMAGES = (JPEG, PNG, WEBP)


@dataclass(frozen=True)
class UploadKind:
    """One kind of upload: its ``name`` (the key of its limits in settings), what it is called on
    its page, and the formats it takes."""

    name: str
    label: str
    formats: tuple[Format, ...]

    @property
    def max_bytes(self) -> int:
        return _limit("UPLOAD_MAX_BYTES", self.name)

    @property
    def max_expanded_bytes(self) -> int:
        return _limit("UPLOAD_MAX_EXPANDED_BYTES", self.name)

    @property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(s for f in self.formats for s in f.suffixes)

    def format_for(self, name: str) -> Format | None:
        suffix = Path(name).suffix.lower()
        return next((f for f in self.formats if suffix in f.suffixes), None)

    def hint(self) -> str:
        """What the upload page says about this kind, e.g. "接受 .csv、.xlsx，每个文件不超过 10 MB"."""
        return _("Accepted: %(suffixes)s; each file at most %(size)s.") % {
            "suffixes": "、".join(self.suffixes), "size": megabytes(self.max_bytes)}


HOURLY = UploadKind("hourly", gettext_lazy("hourly data"), (CSV, XLSX, XLS))
TABLE = UploadKind("table", gettext_lazy("table"), (CSV, XLSX, XLS))
PLAN = UploadKind("plan", gettext_lazy("plan document"), (TEXT, DOCX, XLSX, CSV))
BOUNDARIES = UploadKind("boundaries", gettext_lazy("boundaries"), (GEOJSON,))
PHOTO = UploadKind("photo", gettext_lazy("photo"), IMAGES)
ATTACHMENT = UploadKind("attachment", gettext_lazy("attachment"), (*IMAGES, PDF, DOCX, XLSX))
KINDS = {k.name: k for k in (HOURLY, TABLE, PLAN, BOUNDARIES, PHOTO, ATTACHMENT)}


def _limit(setting: str, name: str) -> int:
    try:
        return int(getattr(settings, setting)[name])
    except (AttributeError, KeyError):
        raise ImproperlyConfigured(f"settings.{setting} has no limit for the upload kind {name!r}") from None


def megabytes(size: int) -> str:
    """A size as people read it: ``10 MB``, ``512 KB``, ``60 B``."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"


def validate_upload(upload, kind: UploadKind) -> Format:
    """The format of ``upload`` (a Django uploaded file, or any file object with ``name``, ``size``
    or ``seek``/``tell``), or :class:`InvalidInput` with one problem naming the file and why it
    is refused. Reads the first bytes and an archive's central directory; extracts nothing."""
    name = Path(upload.name or "").name
    fmt = kind.format_for(name)
    if fmt is None:
        raise InvalidInput([Problem(_("files of this type are not accepted for %(kind)s; accepted: %(suffixes)s")
                                    % {"kind": kind.label, "suffixes": "、".join(kind.suffixes)}, name)])
    size = _size(upload)
    if size > kind.max_bytes:
        raise InvalidInput([Problem(_("the file is %(size)s, more than the %(limit)s allowed for %(kind)s")
                                    % {"size": megabytes(size), "limit": megabytes(kind.max_bytes),
                                       "kind": kind.label}, name)])
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if not head:
        raise InvalidInput([Problem(_("the file is empty"), name)])
    if not fmt.matches(head):
        raise InvalidInput([Problem(_("the content is not %(format)s, as the file name says; save the file as "
                                      "%(format)s and send it again") % {"format": fmt.name}, name)])
    if fmt.archive:
        _check_archive(upload, fmt, kind, name)
    return fmt


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return size


def _check_archive(upload, fmt: Format, kind: UploadKind, name: str) -> None:
    def refuse(message: str) -> None:
        raise InvalidInput([Problem(message, name)])

    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        refuse(_("the file is damaged: it is not a readable %(format)s file") % {"format": fmt.name})
    finally:
        upload.seek(0)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        refuse(_("the file holds %(n)s parts, more than a %(format)s file has") % {"n": len(members), "format": fmt.name})
    if fmt.member not in {m.filename for m in members}:
        refuse(_("the content is not %(format)s, as the file name says; save the file as %(format)s and send it "
                 "again") % {"format": fmt.name})
    expanded = sum(m.file_size for m in members)
    if expanded > kind.max_expanded_bytes:
        refuse(_("the file expands to %(size)s when opened, more than the %(limit)s allowed for %(kind)s")
               % {"size": megabytes(expanded), "limit": megabytes(kind.max_expanded_bytes), "kind": kind.label})
    ratio = settings.UPLOAD_MAX_COMPRESSION_RATIO
    for m in members:
        if m.file_size > ratio * max(m.compress_size, 1) and m.file_size > 1024 * 1024:
            refuse(_("the part %(member)s is compressed %(ratio)s times (at most %(limit)s): the file is refused "
                     "as a possible zip bomb") % {"member": m.filename, "ratio": m.file_size // max(m.compress_size, 1),
                                                  "limit": ratio})


@contextmanager
def upload_on_disk(upload, kind: UploadKind) -> Iterator[Path]:
    """The upload, validated (:class:`InvalidInput` otherwise), written in chunks to a temporary
    folder under its own name (no directories) and removed after: the readers (Polars, calamine,
    python-docx) take paths, and an importer names the file by the path's name."""
    validate_upload(upload, kind)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def check_attachments(uploads: Iterable, kind: UploadKind, *, at_most: int | None = None) -> list:
    """The uploads of a form that stores them (photos, evidence), each validated; for services
    that report refusals as :class:`~django.core.exceptions.ValidationError`. Call it before
    opening the transaction that stores them."""
    uploads = [u for u in uploads if u]
    if at_most is not None and len(uploads) > at_most:
        raise ValidationError(_("At most %(n)s files at a time.") % {"n": at_most})
    problems = []
    for upload in uploads:
        try:
            validate_upload(upload, kind)
        except InvalidInput as exc:
            problems += exc.problems
    if problems:
        raise ValidationError([str(p) for p in problems])
    return uploads


def sniff(head: bytes) -> Format | None:
    """The raster image format of a stored file's first bytes, or ``None``."""
    return next((f for f in IMAGES if f.matches(head)), None)


def file_response(field_file, filename: str, *, attachment: bool = False) -> FileResponse:
    """A stored upload sent back safely, whatever was stored before validation existed: a file
    whose bytes are a raster image (JPEG, PNG, WebP) goes inline with that image type, so that
    pages can show it and a browser opens it as a picture; anything else is sent as a download
    of ``application/octet-stream``. Never ``text/html`` or ``image/svg+xml``, always ``nosniff``,
    and a policy that lets the response run nothing even if opened directly. ``attachment`` sends
    even an image as a download (evidence files of a ledger are never shown inline)."""
    handle = field_file.open("rb")
    head = handle.read(HEAD)
    handle.seek(0)
    image = None if attachment else sniff(head)
    name = Path(filename).name
    if image is not None and Path(name).suffix.lower() not in image.suffixes:
        name = f"{Path(name).stem}{image.suffixes[0]}"
    response = FileResponse(handle, as_attachment=image is None, filename=name,
                            content_type=image.content_type if image else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
