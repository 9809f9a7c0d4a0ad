"""The REST interface at /api/v1/: thin DRF views over the same gate and services as the web UI."""
