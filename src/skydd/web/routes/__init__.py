"""Route modules of the web service: every module here with a ``router`` is included.

Adding a page or an API is adding one module; ``skydd.web.app.create_app`` finds it.
"""
