"""The async source of the clients and streams; ``np6._sync`` is generated from it (scripts/make_sync.py)."""
