"""Base of every API endpoint: querysets and writes pass through the one policy.

An app's viewset is three lines: ``queryset``, ``serializer_class`` and, if needed,
``filterset_fields``. Out-of-scope records answer 404; writes that would put a record
outside the caller's jurisdiction answer 403 and are rolled back; a ``DELETE`` is the delete page's
(:mod:`gongjian.core.deletion`), refused alike.
"""

import datetime as dt

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, views, viewsets
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError

from gongjian.core.access import policy
from gongjian.core.deletion import delete, named
from gongjian.core.masking import secret_fields
from gongjian.periods import PeriodQueryError, query_date

__all__ = ["CleanModelSerializer", "Conflict", "ScopedModelViewSet", "ScopedReadOnlyViewSet", "date_range",
           "exception_handler"]


def exception_handler(exc, context):
    """REST framework's answers (JSON, in the caller's language), except that a record not found says so
    in that language too: Django's ``get_object_or_404`` words it in English, naming the model ("No
    Region matches the given query."). A record outside the caller's scope is not found alike."""
    if isinstance(exc, Http404):
        exc = NotFound(_("Not found: there is no such record that you may see."))
    return views.exception_handler(exc, context)


class Conflict(APIException):
    """409: the request is refused because of other records (the deletion's blockers)."""

    status_code = 409
    default_detail = _("The record cannot be deleted: other records are in the way.")
    default_code = "conflict"


class _Scoped:
    def get_queryset(self):
        return policy.visible(self.request.user, super().get_queryset())


class ScopedReadOnlyViewSet(_Scoped, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(_Scoped, viewsets.ModelViewSet):
    def _save_in_scope(self, serializer):
        with transaction.atomic():  # the exception below rolls the save back
            obj = serializer.save()
            region = policy.region_of(obj)
            if region is not None and not policy.can_place(self.request.user, region):
                raise PermissionDenied(_("You may only place records inside your jurisdiction."))

    def perform_create(self, serializer):
        self._save_in_scope(serializer)

    def perform_update(self, serializer):
        self._save_in_scope(serializer)

    def perform_destroy(self, instance):
        """The delete page's deletion (:mod:`gongjian.core.deletion`): refused (409, naming the records
        in the way) when others protect the record, or it would take along what the caller may not
        change or what no history keeps."""
        deletion = delete(instance, self.request.user)
        if not deletion.done:
            user = self.request.user
            raise Conflict({"protected": [named(r, user) for r in deletion.protected],
                            "forbidden": [named(r, user) for rows in deletion.forbidden.values() for r in rows],
                            "unrecorded": {str(m._meta.verbose_name_plural): len(rows)
                                           for m, rows in deletion.unrecorded.items()}})


class CleanModelSerializer(serializers.ModelSerializer):
    """Runs the model's own ``full_clean`` so that the API refuses exactly what forms refuse
    (a duplicate code, an alias naming another organisation), with the same messages."""

    #: Fields the model fills itself and the check must skip.
    clean_exclude: tuple[str, ...] = ()

    def get_fields(self):
        """Secret fields (``secret_fields`` of the model, :mod:`gongjian.core.masking`) are written,
        never read back."""
        fields = super().get_fields()
        for name in secret_fields(self.Meta.model):
            if name in fields:
                fields[name].write_only = True
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        plain = {k: v for k, v in attrs.items() if not model._meta.get_field(k).many_to_many}
        instance = self.instance or model()
        for name, value in plain.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(self.clean_exclude), validate_unique=True)
        except ModelValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


def date_range(request, max_days: int) -> tuple[dt.date, dt.date]:
    """An API call's ``from`` and ``to`` days, both required, at most ``max_days`` apart; a bad or
    missing one is answered 400 naming it (:func:`gongjian.periods.query_date`)."""
    start, end = query_date(request.query_params, "from"), query_date(request.query_params, "to")
    if end < start:
        raise PeriodQueryError("to", request.query_params["to"], "order", ["from"])
    if (end - start).days > max_days:
        raise ValidationError({"to": f"a request covers at most {max_days} days"})
    return start, end
