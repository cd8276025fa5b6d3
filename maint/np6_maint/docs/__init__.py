"""Checking NP6's reference pages against the spec: ``np6-maint docs check``."""
