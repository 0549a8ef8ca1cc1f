package org.reid.service.security;

import org.reid.service.problem.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * API keys with roles; the matrix is in docs/api.md. Health, the page's static files and the API
 * documentation are public; everything else needs a key, and anything not listed needs ADMIN.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
    private static final String SEARCH = "SEARCH";
    private static final String INGEST = "INGEST";
    private static final String ADMIN = "ADMIN";
    private static final String METRICS = "METRICS";
    /** What anyone may read: the page's static files, health and the API documentation. */
    static final String[] PUBLIC = {"/", "/index.html", "/app.js", "/app.css", "/favicon.ico", "/error",
        "/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**"};

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys) throws Exception {
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyFilter(keys, publicPaths()), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> Problems.write(res, Problems.of(HttpStatus.UNAUTHORIZED,
                                "unauthorized", "Unauthorized", "this call needs an API key in the X-API-Key header",
                                ApiKeyFilter.HEADER, null)))
                        .accessDeniedHandler((req, res, ex) -> Problems.write(res, Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                                "Forbidden", "this API key's roles do not allow " + req.getMethod() + " " + req.getRequestURI(),
                                ApiKeyFilter.HEADER, null))))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/search").hasAnyRole(SEARCH, ADMIN)
                        .requestMatchers("/api/v1/gallery/batches", "/api/v1/gallery/batches/**").hasAnyRole(INGEST, ADMIN)
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/identities/**", "/api/v1/entries/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/v1/identities", "/api/v1/identities/**", "/api/v1/entries/**",
                                "/api/v1/models", "/api/v1/models/**").hasAnyRole(SEARCH, INGEST, ADMIN)
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole(METRICS, ADMIN)
                        .anyRequest().hasRole(ADMIN));
        return http.build();
    }

    private static RequestMatcher publicPaths() {
        return new OrRequestMatcher(java.util.Arrays.stream(PUBLIC)
                .map(p -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(p)).toList());
    }
}
