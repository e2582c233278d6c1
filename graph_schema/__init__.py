"""claimgraph's graph layer: schema migrations, every Cypher query, and the repository.

Imports nothing else of claimgraph's, so that workers and the web service can both use it.
"""

from graph_schema.repository import GraphRepository, create_driver

__all__ = ["GraphRepository", "create_driver"]
