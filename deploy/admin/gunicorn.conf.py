"""gunicorn configuration for the Storykiosk admin, from the admin's own settings.

    STORYKIOSK_ADMIN_INSTANCE_PATH=/var/lib/storykiosk-admin \
        gunicorn -c deploy/admin/gunicorn.conf.py

Bind address, workers and threads come from STORYKIOSK_ADMIN_HOST/PORT/WORKERS/THREADS (or
the instance's admin.toml), exactly as ``python -m admin.serve`` uses them. Run
``flask --app admin init-db`` before starting (the systemd unit does).
"""

import os

from admin.serve import gunicorn_options
from admin.settings import ENV_PREFIX, resolve

_instance = os.environ.setdefault(ENV_PREFIX + "INSTANCE_PATH", "/var/lib/storykiosk-admin")
globals().update(gunicorn_options(resolve(_instance)))
wsgi_app = "admin:create_app()"
