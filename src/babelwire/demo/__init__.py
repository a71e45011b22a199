"""A small bundled news site ("El Diario del Puerto") with own-written Spanish articles.

`babelwire demo` and the pipeline tests serve it on 127.0.0.1 (see `server.DemoSite`):
realistic pages full of chrome, RSS and Atom feeds that overlap, conditional GET.
Modules are not imported here so that `python -m babelwire.demo.server` runs cleanly.
"""
