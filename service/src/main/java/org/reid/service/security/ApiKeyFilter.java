package org.reid.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.reid.service.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code X-API-Key} header, or by {@code Authorization: Bearer KEY}
 * (what a Prometheus Operator ServiceMonitor can send). An unknown key is a 401 at once, except
 * on the public paths, which answer it as they answer anyone (a stale key kept by a browser or a
 * probe must not lock it out of the page or health).
 */
public class ApiKeyFilter extends OncePerRequestFilter {
    public static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final RequestMatcher publicPaths;

    public ApiKeyFilter(ApiKeys keys, RequestMatcher publicPaths) {
        this.keys = keys;
        this.publicPaths = publicPaths;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        String authorization = request.getHeader("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        if (key != null) {
            Optional<ApiKeys.Holder> holder = keys.find(key);
            if (holder.isEmpty() && publicPaths.matches(request)) {
                chain.doFilter(request, response); // anonymous, as without a key
                return;
            }
            if (holder.isEmpty()) {
                Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        "the X-API-Key is not a known key", HEADER, null));
                return;
            }
            List<SimpleGrantedAuthority> authorities = holder.get().roles().stream()
                    .map(r -> new SimpleGrantedAuthority(r.authority())).toList();
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(holder.get().name(), null, authorities));
        }
        chain.doFilter(request, response);
    }
}
