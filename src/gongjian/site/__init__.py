"""Django project: settings, URLs, WSGI/ASGI, and the shared registry machinery
(base views, base API, templates, static files) every domain app builds on."""
