package org.reid.service.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document as a contract a client can be generated from: the service's name and API
 * version, both ways to send a key (so Swagger UI's Authorize button works), the batch upload's
 * multipart body (read by hand in the controller, so springdoc cannot see it), and the
 * problem+json answers every call can give besides its success.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiContract {
    static final String API_KEY = "apiKey";
    static final String BEARER = "bearer";
    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI reidOpenApi() {
        return new OpenAPI()
                .info(new Info().title("reid: person re-identification retrieval").version("v1")
                        .description("Ranked identities for query crops, gallery ingestion and model lifecycle (docs/api.md)."))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key"))
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the same API key as a bearer token"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer problemAnswersAndBatchBody() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                addProblems(op, method);
                if (path.equals("/api/v1/gallery/batches") && method == PathItem.HttpMethod.POST) {
                    op.requestBody(batchBody());
                }
            }));
        };
    }

    private static void addProblems(Operation op, PathItem.HttpMethod method) {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("400", "invalid input, named in `field`");
        answers.put("401", "no API key, or an unknown one");
        answers.put("403", "the key's roles do not allow this call");
        answers.put("404", "what the call names does not exist");
        if (method == PathItem.HttpMethod.POST) {
            answers.put("409", "contradicts the current state (e.g. a version already registered)");
            answers.put("413", "over a size limit, named in `limit`");
            answers.put("415", "a content type or image format the call does not take");
            answers.put("422", "well-formed but unusable (e.g. a corrupt image, a model that does not load)");
        }
        answers.put("500", "the service failed; the error is logged");
        answers.put("503", "no model loaded yet, its gallery index still being built, or the database is unavailable (restarting, unreachable): try again after `Retry-After` seconds");
        Content problem = new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
        answers.forEach((code, description) -> {
            if (op.getResponses() != null && !op.getResponses().containsKey(code)) {
                op.getResponses().addApiResponse(code, new ApiResponse().description(description).content(problem));
            }
        });
    }

    private static RequestBody batchBody() {
        Schema<?> form = new ObjectSchema()
                .addProperty("files", new ArraySchema().items(new StringSchema().format("binary"))
                        .description("crops (JPEG or PNG), one part each, named as in the manifest"))
                .addProperty("manifest", new StringSchema().description(
                        "CSV with header file,identity,camera[,capturedAt], or a JSON array of {file, identity, camera, capturedAt}"))
                .addProperty("archive", new StringSchema().format("binary")
                        .description("instead of files + manifest: a zip of crops in Market-1501 naming (0042_c2s1_000151_01.jpg)"));
        return new RequestBody().required(true).description("files + manifest, or one archive")
                .content(new Content().addMediaType(org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE,
                        new MediaType().schema(form)));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("field", new StringSchema().description("the request field that was wrong"))
                .addProperty("limit", new StringSchema().description("the limit it broke"))
                .required(List.of("type", "title", "status", "detail"));
    }
}
