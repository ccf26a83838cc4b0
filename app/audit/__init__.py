"""The audit log feature: recording (services.record and the request hook) and the admin's page."""
