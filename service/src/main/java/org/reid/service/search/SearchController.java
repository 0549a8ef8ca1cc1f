package org.reid.service.search;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.reid.core.util.AsciiIntegers;
import org.reid.index.SearchFilter;
import org.reid.service.config.ReidProperties;
import org.reid.service.image.CheckedImage;
import org.reid.service.image.ImageGuard;
import org.reid.service.problem.Rejection;
import org.reid.service.store.CaptureTimes;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code POST /api/v1/search}: crops of one person in, ranked identities out (multipart or JSON). */
@RestController
@RequestMapping("/api/v1/search")
@Tag(name = "search")
public class SearchController {
    static final String CAMERA_DOC = "the camera that took the query crop(s), an integer >= 0 as in the gallery: a"
            + " single-crop query is then decided on the threshold calibrated for this camera and the camera of its best"
            + " match, where that pair has enough samples (docs/service.md); it filters nothing";

    /** The JSON form of a search. */
    public record JsonSearch(List<String> images, Integer topK, List<Integer> cameras, List<Integer> excludeCameras,
            String from, String to, Boolean rerank, @Schema(description = CAMERA_DOC) Integer camera) {}

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("[\\s]+");

    private final SearchService search;
    private final ImageGuard guard;
    private final ReidProperties properties;

    public SearchController(SearchService search, ImageGuard guard, ReidProperties properties) {
        this.search = search;
        this.guard = guard;
        this.properties = properties;
    }

    @Operation(summary = "Rank gallery identities for one or several crops of one person (multipart)")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public SearchResult multipart(@RequestPart(value = "image", required = false) List<MultipartFile> image,
            @RequestParam(required = false) String topK,
            @RequestParam(required = false) String cameras,
            @RequestParam(required = false) String excludeCameras,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String rerank,
            @Parameter(description = CAMERA_DOC) @RequestParam(required = false) String camera) {
        long t0 = System.nanoTime();
        requireImages(image == null ? 0 : image.size());
        List<CheckedImage> checked = new ArrayList<>();
        for (int i = 0; i < image.size(); i++) {
            try {
                checked.add(guard.check("image[" + i + "]", image.get(i).getBytes()));
            } catch (IOException e) {
                throw Rejection.invalid("image[" + i + "]", "image[" + i + "] could not be read: " + e.getMessage());
            }
        }
        SearchQuery q = new SearchQuery(checked, topK(parseInt("topK", topK)),
                filter(parseIds("cameras", cameras), parseIds("excludeCameras", excludeCameras), from, to),
                parseBool("rerank", rerank), camera(parseInt("camera", camera)));
        return search.search(q, (System.nanoTime() - t0) / 1e6);
    }

    @Operation(summary = "Rank gallery identities for one or several crops of one person (JSON, base64 images)")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public SearchResult json(@RequestBody JsonSearch body) {
        long t0 = System.nanoTime();
        List<String> images = body.images() == null ? List.of() : body.images();
        requireImages(images.size());
        List<CheckedImage> checked = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            byte[] bytes;
            try {
                // line breaks and spaces are allowed (MIME wraps base64); anything else outside the
                // alphabet is an error, where the MIME decoder silently dropped it
                bytes = Base64.getDecoder().decode(WHITESPACE.matcher(
                        stripDataUrl(images.get(i) == null ? "" : images.get(i))).replaceAll(""));
            } catch (IllegalArgumentException e) {
                throw Rejection.invalid("images[" + i + "]", "images[" + i + "] is not valid base64: " + e.getMessage());
            }
            checked.add(guard.check("images[" + i + "]", bytes));
        }
        SearchQuery q = new SearchQuery(checked, topK(body.topK()),
                filter(body.cameras(), body.excludeCameras(), body.from(), body.to()),
                Boolean.TRUE.equals(body.rerank()), camera(body.camera()));
        return search.search(q, (System.nanoTime() - t0) / 1e6);
    }

    private void requireImages(int n) {
        int max = properties.getLimits().getMaxQueryImages();
        if (n == 0) {
            throw Rejection.invalid("image", "a search needs at least one crop (multipart field 'image' or JSON 'images')");
        }
        if (n > max) {
            throw Rejection.tooLarge("image", "a search takes at most " + max + " crops of one person, got " + n
                    + " (reid.limits.max-query-images)", max + " images");
        }
    }

    private int topK(Integer topK) {
        int max = properties.getSearch().getMaxTopK();
        if (topK == null) {
            return Math.min(10, max);
        }
        if (topK < 1 || topK > max) {
            throw Rejection.outOfRange("topK", "topK must be between 1 and " + max + ", got " + topK, "1.." + max);
        }
        return topK;
    }

    /** The query's camera: a camera number as the gallery's (an integer >= 0), or null. */
    private static Integer camera(Integer camera) {
        if (camera != null && camera < 0) {
            throw Rejection.outOfRange("camera", "camera (where the query crop was taken) must be an integer >= 0, got "
                    + camera, "0.." + Integer.MAX_VALUE);
        }
        return camera;
    }

    private static SearchFilter filter(List<Integer> cameras, List<Integer> exclude, String from, String to) {
        Instant f = parseInstant("from", from);
        Instant t = parseInstant("to", to);
        if (f != null && t != null && f.isAfter(t)) {
            throw Rejection.invalid("from", "from (" + f + ") is after to (" + t + ")");
        }
        return new SearchFilter(toSet("cameras", cameras), toSet("excludeCameras", exclude), f == null ? null : f.toEpochMilli(),
                t == null ? null : t.toEpochMilli());
    }

    private static Set<Integer> toSet(String field, List<Integer> ids) {
        if (ids != null && ids.contains(null)) {
            throw Rejection.invalid(field, field + " must hold camera numbers, got null");
        }
        if (ids != null && ids.stream().anyMatch(c -> c < 0)) {
            throw Rejection.outOfRange(field, field + " must hold camera numbers (integers >= 0), got " + ids,
                    "0.." + Integer.MAX_VALUE);
        }
        return ids == null ? Set.of() : new LinkedHashSet<>(ids);
    }

    private static Integer parseInt(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return AsciiIntegers.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw Rejection.invalid(field, field + " must be an integer, got '" + v + "'");
        }
    }

    private static List<Integer> parseIds(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : v.split(",")) {
            Integer id = parseInt(field, part);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static boolean parseBool(String field, String v) {
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "1" -> true;
            case "false", "off", "0" -> false;
            default -> throw Rejection.invalid(field, field + " must be true or false, got '" + v + "'");
        };
    }

    private static Instant parseInstant(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw Rejection.invalid(field, field + " must be an ISO-8601 instant like 2026-11-01T10:00:00Z, got '" + v + "'");
        }
        return CaptureTimes.checked(field, field, instant);
    }

    private static String stripDataUrl(String s) {
        int comma = s.indexOf(',');
        return s.startsWith("data:") && comma > 0 ? s.substring(comma + 1) : s;
    }
}
