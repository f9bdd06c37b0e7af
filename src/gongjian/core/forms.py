"""Forms for the person who sends them: choices scoped by the policy, errors that name the field.

Every page that changes something reads what was posted through a form (never ``request.POST`` by
hand): the form decides what is a valid value, the policy decides what may be chosen. A
:class:`ScopedForm` or :class:`ScopedModelForm` is built with the user, and every
``ModelChoiceField`` and ``ModelMultipleChoiceField`` on it offers only what
``policy.visible(user, ...)`` lets that person see, so a posted id of a region, unit or record
outside their jurisdiction is an invalid choice like one that does not exist (the architecture's
"views never filter by hand", docs/architecture.md, "The access policy"). The registry's generated
forms use the same :func:`limit_choices`.

The fields here carry messages a person can act on ("enter a date as 2026-12-31"), and
:func:`problems` names the field each error belongs to, so that a page listing errors above the
form still says where each one is ("截止日期：..."). Uploaded files pass
:func:`gongjian.core.uploads.validate_upload` in the field's own ``clean``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian import clock

from .access import policy
from .problems import InvalidInput
from .uploads import UploadKind, validate_upload

__all__ = ["DateField", "DateTimeField", "IntegerField", "ScopedForm", "ScopedModelForm", "UploadField",
           "UploadsField", "limit_choices", "problems"]


def limit_choices(form: forms.BaseForm, user) -> None:
    """Choices in forms follow the policy: nobody picks a region, owner or record they cannot see."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            field.queryset = policy.visible(user, queryset)


class _Scoped:
    """Takes the user first, as the form's owner, and scopes the form's choices for them."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices(self, user)


class ScopedForm(_Scoped, forms.Form):
    """A form for ``user``: ``ScopedForm(user, data, files)``; model choices are those ``user`` sees."""


class ScopedModelForm(_Scoped, forms.ModelForm):
    """A model form for ``user``; model choices are those ``user`` sees. The model's own
    ``full_clean`` still decides what a valid record is."""


def problems(form: forms.BaseForm) -> list[str]:
    """Every error of a bound form, one line each, naming its field (``"Deadline: enter a date..."``);
    errors of the whole form as they are. For pages that list errors above the form."""
    lines = []
    for name, errors in form.errors.items():
        label = form[name].label if name in form.fields else ""
        for message in errors:
            lines.append(_("%(field)s: %(message)s") % {"field": label, "message": message} if label else message)
    return lines


class DateField(forms.DateField):
    """A day, ``YYYY-MM-DD`` (as a date input sends it)."""

    default_error_messages = {"invalid": gettext_lazy("enter a date as YYYY-MM-DD, e.g. 2026-12-31.")}


class DateTimeField(forms.DateTimeField):
    """A moment, ``YYYY-MM-DDTHH:MM`` (as a date-and-time input sends it) in the project's time zone
    unless it states its offset; read by the clock, the one home of time zones."""

    default_error_messages = {"invalid": gettext_lazy("enter a date and time as YYYY-MM-DD HH:MM, e.g. "
                                                      "2026-12-31 18:00.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return clock.parse_as_of(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class IntegerField(forms.IntegerField):
    """A whole number (a percentage, a year)."""

    default_error_messages = {"invalid": gettext_lazy("enter a whole number.")}


def _validated(upload, kind: UploadKind):
    try:
        validate_upload(upload, kind)
    except InvalidInput as exc:
        raise ValidationError([str(p) for p in exc.problems]) from None
    return upload


class UploadField(forms.FileField):
    """One uploaded file of ``kind``, refused (naming the file) unless it is one of the kind's formats
    within its limits (:func:`gongjian.core.uploads.validate_upload`)."""

    def __init__(self, kind: UploadKind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return _validated(upload, self.kind) if upload else upload


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadsField(UploadField):
    """Several uploaded files of ``kind`` (photos of a check, hourly files), each validated; the
    cleaned value is a list, empty when none was sent and none is required."""

    widget = _MultipleFileInput

    def clean(self, data, initial=None):
        files = [d for d in data if d] if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(UploadsField, self).clean(upload, initial) for upload in files]
