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
        return new SpringApplicationBuilder(ReidServiceApplication.class).run(args);
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
