package govties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j Community embedded with the Bolt connector on a loopback port.
 *
 * Usage: Launcher DATA_DIR PORT
 * The password of user "neo4j" comes from the environment variable NEO4J_PASSWORD (never printed).
 * Prints "READY bolt://127.0.0.1:PORT" once Bolt is listening and the password is set; stops on SIGTERM.
 */
public final class Launcher {
    private Launcher() {}

    /** Sets the password of user neo4j; a restart on the same data keeps the password it already has. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("set NEO4J_PASSWORD (8 characters or more) before starting Neo4j");
            System.exit(2);
        }
        Files.createDirectories(home);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(30))
                // A throwaway server for tests and benchmarks: keep only the latest transaction log (pruned at each
                // checkpoint). The default keeps two days of them, and a few province-scale loads filled the disk.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .build();
        try {
            setPassword(dbms, password);
            // Warm the default database so the first Bolt query does not pay for it.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            System.err.println("Neo4j started but could not be prepared: " + e.getMessage());
            dbms.shutdown();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
