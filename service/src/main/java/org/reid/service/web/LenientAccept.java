package org.reid.service.web;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An Accept header that does not parse ({@code Accept: !!!}) is read as no preference
 * (RFC 9110 lets a server disregard it), as clients that send one mean nothing by it. Spring's
 * default refused it with a 406 and then, negotiating the problem's own body against the same
 * header, sent the 406 empty.
 */
@Configuration(proxyBeanMethods = false)
public class LenientAccept implements WebMvcConfigurer {

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(new Strategy()));
    }

    static final class Strategy extends HeaderContentNegotiationStrategy {
        @Override
        public List<MediaType> resolveMediaTypes(NativeWebRequest request) {
            try {
                return super.resolveMediaTypes(request);
            } catch (HttpMediaTypeNotAcceptableException e) {
                return MEDIA_TYPE_ALL_LIST;
            }
        }
    }
}
