"""Uploading hourly data in the browser: files and a layout, a preview that lists every problem,
then the import. The same service as `gongjian import air` does the work."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import problems
from gongjian.core.pages import opens
from gongjian.core.problems import InvalidInput
from gongjian.core.views import bind
from gongjian.core.writes import writes
from gongjian.regions import policy

from .cli_options import pairs
from .forms import UploadForm
from .hourly_io import Layout
from .models import SourceLayout
from .services import import_hourly, layout_for

UPLOADS = "uploads"


def _folder(token: str) -> Path:
    if not token.isalnum():
        raise PermissionDenied
    return Path(settings.MEDIA_ROOT) / UPLOADS / token


def _layout(form: UploadForm, source: SourceLayout) -> Layout:
    base = layout_for(source)

    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    time_columns = base.time_columns
    if form.cleaned_data["time_columns"]:
        time_columns = tuple(c.strip() for c in form.cleaned_data["time_columns"].split(","))
        if len(time_columns) != 4:
            raise ValueError("time columns: four names, YEAR,MONTH,DAY,HOUR")
    return Layout(columns={**base.columns, **pairs(lines(form.cleaned_data["columns"]), "column mapping")},
                  units={**base.units, **pairs(lines(form.cleaned_data["units"]), "units")},
                  hour_label=form.cleaned_data["hour_label"] or base.hour_label, time_columns=time_columns)


@login_required
@opens(policy.EDIT)
@writes(policy.EDIT)
def upload_view(request):
    """Step 1, upload and preview (nothing saved); step 2, import the previewed files."""
    form = bind(request, UploadForm)
    context = {"title": _("Import hourly data"), "form": form, "sources": SourceLayout.objects.order_by("name")}
    if request.method != "POST" or not form.is_valid():  # every file is checked (by the form) before any is kept
        refused = form.is_bound and bool(form.errors)
        context["problems"] = problems(form) if refused else []
        return render(request, "air/upload.html", context, status=400 if refused else 200)
    token = form.cleaned_data["token"] or secrets.token_hex(16)
    folder = _folder(token)
    if form.cleaned_data["files"]:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for upload in form.cleaned_data["files"]:
            with open(folder / Path(upload.name).name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    paths = sorted(folder.glob("*")) if folder.exists() else []
    if not paths:
        form.add_error("files", _("Choose at least one file."))
        return render(request, "air/upload.html", context)
    confirm = form.cleaned_data["action"] == "import"
    try:
        # Read and check with no transaction open (a large file must not hold the database's write
        # lock); the import saves the layout with the data, and a preview remembers nothing.
        name = form.cleaned_data["source"]
        source = SourceLayout.objects.filter(name=name).first() or SourceLayout(name=name)
        layout = _layout(form, source)
        source.columns, source.units = layout.columns, layout.units
        source.hour_label, source.time_columns = layout.hour_label, list(layout.time_columns or [])
        result = import_hourly(paths, source, user=request.user, save=confirm, remember_layout=True)
    except InvalidInput as exc:
        context.update({"problems": exc.problems, "files": [p.name for p in paths]})
        return render(request, "air/upload.html", context)
    except Exception as exc:  # a layout that cannot be read (ValueError, CommandError from pairs)
        form.add_error(None, str(exc))
        return render(request, "air/upload.html", context)
    if confirm:
        shutil.rmtree(folder, ignore_errors=True)
    form = UploadForm(request.user, initial={**form.cleaned_data, "token": "" if confirm else token})
    context.update({"form": form, "result": result, "files": [p.name for p in paths], "saved": confirm})
    return render(request, "air/upload.html", context)
