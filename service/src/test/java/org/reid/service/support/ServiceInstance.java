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
        Map<String, Object> props = new HashMap<>(Map.of(
                "server.port", "0",
                "reid.data-dir", dataDir.toString(),
                "reid.demo.seed", "false",
                "reid.security.generate-admin-key", "false",
                "reid.security.api-keys[0].name", "admin-key",
                "reid.security.api-keys[0].sha256", "944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9",
                "reid.security.api-keys[0].roles", "ADMIN"));
        props.putAll(TestDatabase.properties());
        // as command-line arguments: they must win over application.properties
        String[] args = java.util.stream.Stream.concat(
                props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        return new SpringApplicationBuilder(ReidServiceApplication.class).run(args);
    }

    public static Api api(ConfigurableApplicationContext ctx) {
        return new Api("http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
    }
}
