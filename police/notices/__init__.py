"""Legal notices: what each notice says (``content``), and its rendering to a bilingual PDF
(``rendering``, WeasyPrint from Jinja2 templates)."""
