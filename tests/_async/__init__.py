"""The tests written once against the async client; ``tests/_sync`` is generated from them.

``scripts/make_sync.py`` (``make generate``) writes each module's sync twin by the rules that
make ``np6._sync`` of ``np6._async``; ``make check-generated`` fails when a twin is stale.
"""
