package org.lmkg.testsupport;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A development helper for lmkg's tests and benchmarks (never shipped): throwaway Neo4j
 * Community servers from Neo4j's own test harness, driven line by line over stdin. (Neo4j's
 * {@code neo4j-admin}, for the bulk import, is run from the same classpath as its own JVM:
 * {@code org.neo4j.cli.AdminTool}.)
 *
 * <p>Usage: {@code java -cp CLASSPATH org.lmkg.testsupport.Neo4jLauncher WORK_DIR}. The
 * password for the {@code neo4j} user comes from the environment variable
 * {@code LMKG_TEST_NEO4J_PASSWORD} (at least 8 characters), never from the command line.
 *
 * <p>Commands, one per line, fields separated by TAB; each gets exactly one answer line on
 * stdout (everything else the JVM prints goes to stderr):
 * <ul>
 *   <li>{@code start NAME [FROM_HOME [LOCK_TIMEOUT_MS [PAGECACHE_MB]]]}: a new server with
 *       Bolt on a free 127.0.0.1 port, authentication on and a page cache of PAGECACHE_MB
 *       (default 128). FROM_HOME, a DBMS home whose {@code data/} holds
 *       {@code databases/neo4j} and {@code transactions/neo4j} (as {@code neo4j-admin
 *       database import} writes them there), is copied in first, so the server opens that
 *       database. LOCK_TIMEOUT_MS (default: none, as in Neo4j) bounds the wait for a lock,
 *       after which the waiting transaction fails with Neo4j's transient
 *       LockAcquisitionTimeout. Answer: {@code ready NAME BOLT_URI HOME} (HOME holds the
 *       server's data and logs while it runs; it is deleted on stop).</li>
 *   <li>{@code stop NAME}: answer {@code stopped NAME}.</li>
 *   <li>{@code quit}, or the end of stdin (the test process ended, however): every server is
 *       stopped and the JVM exits.</li>
 * </ul>
 * A failing command answers {@code error NAME MESSAGE} (one line).
 */
public final class Neo4jLauncher {
    private static final String PASSWORD_ENV = "LMKG_TEST_NEO4J_PASSWORD";

    private final Path workDir;
    private final String password;
    private final PrintStream answers;
    private final Map<String, Neo4j> servers = new LinkedHashMap<>();

    private Neo4jLauncher(Path workDir, String password, PrintStream answers) {
        this.workDir = workDir;
        this.password = password;
        this.answers = answers;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Neo4jLauncher WORK_DIR");
            System.exit(2);
        }
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.length() < 8) {
            System.err.println(PASSWORD_ENV + " must hold a password of at least 8 characters");
            System.exit(2);
        }
        // The protocol owns stdout; anything Neo4j or a library prints goes to stderr.
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        Path work = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(work);
        Neo4jLauncher launcher = new Neo4jLauncher(work, password, answers);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAll));
        launcher.serve();
        launcher.stopAll();
        System.exit(0);
    }

    private void serve() throws IOException {
        answers.println("hello");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String name = f.length > 1 ? f[1] : "";
            try {
                switch (f[0]) {
                    case "start" -> start(name, f.length > 2 && !f[2].isEmpty() ? f[2] : null,
                            f.length > 3 && !f[3].isEmpty() ? Long.parseLong(f[3]) : 0L,
                            f.length > 4 && !f[4].isEmpty() ? Long.parseLong(f[4]) : 128L);
                    case "stop" -> stop(name);
                    case "quit" -> {
                        return;
                    }
                    default -> answers.println("error\t" + name + "\tunknown command " + f[0]);
                }
            } catch (Throwable e) {
                e.printStackTrace();
                answers.println("error\t" + name + "\t" + oneLine(e));
            }
        }
    }

    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getName());
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(": ").append(t.getMessage());
        }
        return sb.toString().replaceAll("\\s+", " ");
    }

    private void start(String name, String fromHome, long lockTimeoutMillis, long pageCacheMb)
            throws IOException {
        if (name.isEmpty() || servers.containsKey(name)) {
            throw new IllegalArgumentException("missing or duplicate server name " + name);
        }
        Path dir = workDir.resolve(name);
        Files.createDirectories(dir);
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(dir)
                .withDisabledServer() // no HTTP: Bolt only
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * 1024 * 1024)
                // A throwaway server: stop in a second or two, not Netty's default 15 s or so.
                .withConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout,
                        Duration.ofSeconds(2))
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(2));
        if (lockTimeoutMillis > 0) {
            builder = builder.withConfig(GraphDatabaseSettings.lock_acquisition_timeout,
                    Duration.ofMillis(lockTimeoutMillis));
        }
        if (fromHome != null) {
            builder = builder.copyFrom(Path.of(fromHome));
        }
        Neo4j neo = builder.build();
        servers.put(name, neo);
        // Set the known test password through the system database (no Bolt, no log of it).
        neo.databaseManagementService().database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        String uri = neo.boltURI().toString().replace("localhost", "127.0.0.1");
        Path home = neo.config().get(GraphDatabaseSettings.neo4j_home);
        answers.println("ready\t" + name + "\t" + uri + "\t" + home);
    }

    private void stop(String name) {
        Neo4j neo = servers.remove(name);
        if (neo == null) {
            throw new IllegalArgumentException("no server named " + name);
        }
        neo.close();
        answers.println("stopped\t" + name);
    }

    private synchronized void stopAll() {
        for (Neo4j neo : servers.values()) {
            try {
                neo.close();
            } catch (Throwable e) {
                e.printStackTrace();
            }
        }
        servers.clear();
    }
}
