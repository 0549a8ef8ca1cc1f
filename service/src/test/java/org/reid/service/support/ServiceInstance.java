package org.reid.service.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.reid.service.ReidServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A service of its own (own data directory and database) for tests that restart it or swap its model. */
public final class ServiceInstance {
    private ServiceInstance() {}

    public static ConfigurableApplicationContext start(Path dataDir, String... extra) {
        return start(dataDir, java.util.List.of(), extra);
    }

    /**
     * As {@link #start(Path, String...)}, with initializers applied to the context before it is
     * refreshed (e.g. one that puts a bean of the test's in the place of one of the service's).
     */
    public static ConfigurableApplicationContext start(Path dataDir,
            java.util.List<org.springframework.context.ApplicationContextInitializer<ConfigurableApplicationContext>> initializers,
            String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("reid.data-dir", dataDir.toString());
        props.put("reid.demo.seed", "false");
        props.put("reid.security.generate-admin-key", "false");
        props.put("reid.security.api-keys[0].name", "admin-key");
        props.put("reid.security.api-keys[0].sha256", "944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9");
        props.put("reid.security.api-keys[0].roles", "ADMIN");
        props.put("reid.security.api-keys[1].name", "ingest-key");
        props.put("reid.security.api-keys[1].sha256", "5a0a187600e0173ab293d13ad1589ce62c1f2210a41d18f893930379b0bd992b");
        props.put("reid.security.api-keys[1].roles", "INGEST");
        // a stopped replica's work is taken over quickly, and replicas catch up every second
        props.put("reid.sync.stale-after", "PT2S");
        props.put("reid.sync.every", "PT1S");
        props.putAll(TestDatabase.properties());
        for (String e : extra) { // "--name=value", overriding the defaults above
            int eq = e.indexOf('=');
            props.put(e.substring(2, eq), e.substring(eq + 1));
        }
        // as command-line arguments: they must win over application.properties
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ReidServiceApplication.class);
        initializers.forEach(i -> builder.initializers(i));
        return builder.run(args);
    }

    /**
     * The service as README's first command starts it: no key configured (an ADMIN key is
     * generated and printed once) and the demo gallery seeded; returns the context and the
     * printed key.
     */
    public static FirstRun startAsReadme(Path dataDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("reid.data-dir", dataDir.toString());
        props.putAll(TestDatabase.properties());
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(new TeeStream(out, printed), true));
        ConfigurableApplicationContext ctx;
        try {
            ctx = new SpringApplicationBuilder(ReidServiceApplication.class).run(args);
        } finally {
            System.setOut(out);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("X-API-Key: (reid-[A-Za-z0-9_-]+)")
                .matcher(printed.toString(java.nio.charset.StandardCharsets.UTF_8));
        return new FirstRun(ctx, m.find() ? m.group(1) : null);
    }

    /** A first start: the context and the ADMIN key it printed (null if it printed none). */
    public record FirstRun(ConfigurableApplicationContext context, String printedKey) {}

    /** Writes to two streams: the console keeps its output while a test reads it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Api api(ConfigurableApplicationContext ctx) {
        return new Api("http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
    }
}
