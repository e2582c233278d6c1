package dev.claimgraph.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts an embedded Neo4j Community DBMS with the Bolt connector on 127.0.0.1 so that
 * claimgraph's Python code can talk to a real Neo4j through the official driver on
 * machines without Docker.
 *
 * <p>Usage: {@code EmbeddedNeo4j --home DIR --port PORT [--host 127.0.0.1]}. Prints
 * {@code CLAIMGRAPH_NEO4J_READY bolt://HOST:PORT} once the default database is available,
 * and shuts the DBMS down cleanly on SIGTERM/SIGINT.
 */
public final class EmbeddedNeo4j {
    private static final String READY_LINE = "CLAIMGRAPH_NEO4J_READY";

    private EmbeddedNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        String host = "127.0.0.1";
        String pageCache = "256m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--pagecache" -> pageCache = args[++i];
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("usage: EmbeddedNeo4j --home DIR --port PORT [--host HOST]");
            System.exit(2);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "claimgraph-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(3).toMillis())) {
            System.err.println("database did not become available");
            System.exit(1);
        }
        System.out.println(READY_LINE + " bolt://" + host + ":" + port);
        System.out.flush();
        // Block until the shutdown hook has run.
        stopped.await();
        TimeUnit.MILLISECONDS.sleep(10);
    }
}
