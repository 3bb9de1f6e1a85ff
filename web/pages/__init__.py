"""Pages per audience: each module lists its routes; each route is parse -> command -> response."""
