package org.reid.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;

/**
 * Every endpoint x {no key, SEARCH, INGEST, ADMIN}: 401 without a key, 403 without the role, and
 * otherwise past security (whatever the call itself answers: 200, 400, 404...).
 */
class AuthorizationMatrixTest extends ServiceTest {
    private static final String NONE = "none";
    private static final String ALLOWED = "allowed";

    /** method, path, and who may call it. */
    private record Endpoint(String method, String path, List<String> roles) {}

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/search", List.of("SEARCH", "ADMIN")),
            new Endpoint("POST", "/api/v1/gallery/batches", List.of("INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/gallery/batches/6f1c0000-0000-0000-0000-000000000000", List.of("INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/identities", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/identities/999999", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/identities/999999/entries", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("DELETE", "/api/v1/identities/999999", List.of("ADMIN")),
            new Endpoint("GET", "/api/v1/entries/999999", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/entries/999999/image", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("DELETE", "/api/v1/entries/999999", List.of("ADMIN")),
            new Endpoint("GET", "/api/v1/models", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/models/active", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/models/active/calibration", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("GET", "/api/v1/models/switch", List.of("SEARCH", "INGEST", "ADMIN")),
            new Endpoint("POST", "/api/v1/models", List.of("ADMIN")),
            new Endpoint("POST", "/api/v1/models/999999/activate", List.of("ADMIN")),
            new Endpoint("GET", "/actuator/prometheus", List.of("METRICS", "ADMIN")),
            new Endpoint("GET", "/actuator/health", List.of(NONE, "SEARCH", "INGEST", "ADMIN", "METRICS")),
            new Endpoint("GET", "/v3/api-docs", List.of(NONE, "SEARCH", "INGEST", "ADMIN", "METRICS")));

    private static final Map<String, String> KEYS = Map.of("SEARCH", Keys.SEARCH, "INGEST", Keys.INGEST, "ADMIN", Keys.ADMIN,
            "METRICS", Keys.METRICS);

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (String caller : List.of(NONE, "SEARCH", "INGEST", "ADMIN", "METRICS")) {
                int expected = e.roles().contains(caller) ? 0 : caller.equals(NONE) ? 401 : 403;
                cases.add(Arguments.of(e.method(), e.path(), caller, expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}")
    @MethodSource("matrix")
    void onlyTheRolesOfTheMatrixGetThrough(String method, String path, String caller, int expected) {
        String key = KEYS.get(caller);
        Api.Response r = switch (method) {
            case "GET" -> api.get(path, key);
            case "DELETE" -> api.delete(path, key);
            default -> api.postMultipart(path, key, List.of(Api.Part.field("nothing", "x")));
        };
        if (expected == 0) {
            assertThat(r.status()).as(method + " " + path + " as " + caller + ": " + r.text()).isNotIn(401, 403);
        } else {
            assertThat(r.status()).as(method + " " + path + " as " + caller).isEqualTo(expected);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @org.junit.jupiter.api.Test
    void aBearerTokenWorksLikeTheHeader() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var scrape = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/actuator/prometheus"));
        assertThat(http.send(scrape.header("Authorization", "Bearer " + Keys.ADMIN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        var asSearch = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/actuator/prometheus"));
        assertThat(http.send(asSearch.header("Authorization", "Bearer " + Keys.SEARCH).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @org.junit.jupiter.api.Test
    void anUnknownKeyIs401() {
        Api.Response r = api.get("/api/v1/identities", "not-a-key");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("detail").asText()).contains("not a known key");
    }

    @org.junit.jupiter.api.Test
    void anUnknownKeyOnAPublicPathIsAnsweredAsWithoutAKey() throws Exception {
        // a stale key kept by a browser or a probe must not lock it out of the page or health;
        // where a key is needed, an unknown one is a 401 that says so
        var http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/", "/v3/api-docs")) {
            Api.Response anonymous = api.get(path, null);
            Api.Response r = api.get(path, "not-a-key");
            assertThat(r.status()).as("GET " + path).isEqualTo(200).isEqualTo(anonymous.status());
            assertThat(r.contentType()).as("GET " + path).isEqualTo(anonymous.contentType());
            var bearer = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer not-a-key").build();
            assertThat(http.send(bearer, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).as("Bearer " + path)
                    .isEqualTo(200);
        }
        assertThat(api.get("/actuator/health", "not-a-key").json().has("components"))
                .as("health details need a known key").isFalse();
        Api.Response needsAKey = api.get("/api/v1/models", "not-a-key");
        assertThat(needsAKey.status()).isEqualTo(401);
        assertThat(needsAKey.json().get("detail").asText()).contains("not a known key");
    }
}
