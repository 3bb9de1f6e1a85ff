"""The Starlette web app: pages per audience, Jinja2 templates, vendored static files."""
