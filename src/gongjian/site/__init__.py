"""The Django project: settings, URLs, WSGI/ASGI, the home page and the commands that set up and
serve the platform. It discovers the domain apps through their AppConfig
(:mod:`gongjian.core.apps`) and is the only package that imports all of them."""
