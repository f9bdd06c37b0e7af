from gongjian.core.registry import urlpatterns_for

from .entries import ENTRIES

app_name = "water"
urlpatterns = urlpatterns_for(*ENTRIES)
