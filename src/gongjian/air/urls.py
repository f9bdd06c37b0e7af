from gongjian.site.registry import urlpatterns_for

from .entries import ENTRIES

app_name = "air"

urlpatterns = urlpatterns_for(*ENTRIES)
