package switchboard;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts mongo-java-server on 127.0.0.1, prints "LISTENING 127.0.0.1:PORT" once bound and
 * exits when stdin reaches EOF (the parent process is gone) or on SIGTERM.
 * Usage: --backend memory|h2 [--file PATH] [--port N]
 */
public final class EmbeddedMongo {
    /** Reported to clients only: the Node driver 7 refuses servers below wire version 9. */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
        @Override public int getWireVersion() { return 9; }
    };

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try {
            String backendName = "memory", file = null;
            int port = 0;
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : fail("missing value for " + args[i]);
                switch (args[i]) {
                    case "--backend" -> backendName = value;
                    case "--file" -> file = value;
                    case "--port" -> port = Integer.parseInt(value);
                    default -> fail("unknown argument " + args[i]);
                }
            }
            boolean h2 = backendName.equals("h2");
            if (!h2 && !backendName.equals("memory")) {
                fail("unknown backend " + backendName);
            }
            if (h2 && file == null) {
                fail("--file is required for --backend h2");
            }
            Thread stdinWatch = new Thread(EmbeddedMongo::exitOnStdinEof, "stdin-watch");
            stdinWatch.setDaemon(true);
            stdinWatch.start();
            AbstractMongoBackend backend = h2 ? new H2Backend(file) : new MemoryBackend();
            backend.version(MONGO_4_4);
            MongoServer server = new MongoServer(backend);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "shutdown"));
            server.bind("127.0.0.1", port);
            System.out.println("LISTENING 127.0.0.1:" + server.getLocalAddress().getPort());
            System.out.flush();
            new CountDownLatch(1).await();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void exitOnStdinEof() {
        try {
            System.in.transferTo(OutputStream.nullOutputStream());
        } catch (Exception ignored) {
            // A broken stdin means the parent is gone as well.
        }
        System.exit(0);
    }

    private static <T> T fail(String message) {
        throw new IllegalArgumentException(message + " (usage: --backend memory|h2 [--file PATH] [--port N])");
    }
}
