"""Every field and model of the platform is labelled for its readers: the labels pages, forms, exports
and the back-office show come out in Chinese (issue 14 found "Submitted by / Approved by", fields
Django had labelled from their names). Codes and units (PM2.5, NOx, t/a) are not English words."""

from django.apps import apps
from django.utils import translation

from tests.language import english_words

#: The machinery's own fields, never shown as a record's: the key, the region tree's bookkeeping.
INTERNAL = {"id", "path", "depth", "numchild"}


def test_every_field_and_model_has_a_chinese_label():
    unlabelled = []
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if not model.__module__.startswith("gongjian") or model.__name__.startswith("Historical"):
                continue
            for label in (model._meta.verbose_name, model._meta.verbose_name_plural):
                if english_words(str(label)):
                    unlabelled.append(f"{model._meta.label}: {label}")
            for field in model._meta.get_fields():
                if (field.auto_created and not field.concrete) or field.name in INTERNAL:
                    continue
                if english_words(str(getattr(field, "verbose_name", ""))):
                    unlabelled.append(f"{model._meta.label}.{field.name}: {field.verbose_name}")
    assert not unlabelled, "\n".join(unlabelled)
