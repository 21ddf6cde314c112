"""The single-page app: the built front end's index.html for every route the browser owns."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

_MISSING = """<!doctype html><meta charset="utf-8"><title>Stepwright</title>
<body style="font-family: system-ui; margin: 4rem auto; max-width: 40rem">
<h1>Stepwright</h1><p>The API is running at <a href="/api/">/api/</a> (docs at
<a href="/api/docs/">/api/docs/</a>). The web interface has not been built: run <code>make run</code>.</p>"""


@ensure_csrf_cookie
def spa(request: HttpRequest, path: str = "") -> HttpResponse:
    index = settings.FRONTEND_DIST / "index.html"
    if index.is_file():
        return HttpResponse(index.read_text(encoding="utf-8"))
    return HttpResponse(_MISSING)
