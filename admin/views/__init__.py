"""One blueprint per area of the admin (registered in ``admin.app.BLUEPRINTS``)."""
