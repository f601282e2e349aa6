"""Django's PostgreSQL backend with a per-request health check that costs no query
(``ENGINE = "site_config.postgresql"``; see ``base``)."""
