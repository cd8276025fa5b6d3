"""np6's maintainer tools: ``np6-maint docs check`` and ``np6-maint spec diff``.

They serve the people who keep the spec in step with NP6's documentation releases, not
the client's users, so they live in their own distribution (``maint/`` in the
repository, installed by ``make install``) and ``pip install np6`` carries none of
them. They use np6 through its public names only.
"""
