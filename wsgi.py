"""The WSGI application: ``gunicorn wsgi:app``."""

import gc

from advocacy import create_app

app = create_app()
# What is loaded now lives as long as the process: keep it out of the garbage collector's
# full collections, which would otherwise walk it again and again under load (and, in
# forked workers, copy its pages). Python's documentation advises this for servers.
gc.freeze()
