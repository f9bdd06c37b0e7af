"""Shared model machinery: every registry model keeps its history and declares its scope.

A *registry* is a register users keep by hand (regions, organisations, enterprises,
stations, sections, plots, tasks). Accountability is the point of the domain
(谁出数谁负责、谁签字谁负责), so each one records who changed what and when, with the
values before and after: :class:`RegistryModel` gives every subclass a
django-simple-history table. Its ``scope`` class attribute tells the one policy
(:mod:`gongjian.regions.policy`) how to limit it to a person's jurisdiction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["RegistryModel"]


class RegistryModel(models.Model):
    """Base of every registry model: timestamps, and history of every change."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
