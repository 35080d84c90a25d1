"""How long a Neo4j load lock (graph.neo4j_lock) lives without its holder's beat: said here, without the driver,
so that a command's help can name it without loading Neo4j's driver."""

STALE_SECONDS = 600
STALE_MINUTES = STALE_SECONDS // 60  # as messages and `govties neo4j-unlock -h` say it
BEAT_SECONDS = 30
