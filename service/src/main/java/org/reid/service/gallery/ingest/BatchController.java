package org.reid.service.gallery.ingest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/** Batch ingestion: {@code POST /api/v1/gallery/batches} (202) and its progress. */
@RestController
@RequestMapping("/api/v1/gallery/batches")
@Tag(name = "gallery")
public class BatchController {
    private static final int MAX_IDEMPOTENCY_KEY = 200;

    private final BatchParser parser;
    private final IngestionService ingestion;
    private final IngestBatches batches;
    private final IngestItems items;

    public BatchController(BatchParser parser, IngestionService ingestion, IngestBatches batches, IngestItems items) {
        this.parser = parser;
        this.ingestion = ingestion;
        this.batches = batches;
        this.items = items;
    }

    @Operation(summary = "Submit crops with identity, camera and capture time (files + manifest, or a Market-1501 zip)")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<BatchView> submit(MultipartHttpServletRequest request,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw Rejection.invalid("Idempotency-Key", "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        var replay = ingestion.byIdempotencyKey(idempotencyKey);
        if (replay.isPresent()) {
            return ResponseEntity.ok().location(location(replay.get().id())).body(view(replay.get(), false));
        }
        if (request.getFiles("archive").size() > 1) {
            throw Rejection.invalid("archive", "send one archive per batch, got " + request.getFiles("archive").size());
        }
        MultipartFile archive = request.getFile("archive");
        List<MultipartFile> files = request.getFiles("files");
        List<SubmittedItem> submitted;
        if (archive != null) {
            if (!files.isEmpty()) {
                throw Rejection.invalid("archive", "send either files + manifest or one archive, not both");
            }
            submitted = parser.fromArchive(archive);
        } else {
            submitted = parser.fromFiles(files, manifest(request));
        }
        IngestionService.Submitted s = ingestion.submit(submitted, idempotencyKey, AuditLog.currentActor());
        return ResponseEntity.status(s.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(location(s.batch().id())).body(view(s.batch(), false));
    }

    @Operation(summary = "A batch's progress and per-item errors")
    @GetMapping("/{id}")
    public BatchView get(@PathVariable UUID id, @RequestParam(required = false) String items) {
        IngestBatch b = batches.find(id).orElseThrow(() -> Rejection.notFound("batch", id));
        return view(b, "all".equals(items));
    }

    /** The manifest may come as a file part or as a plain form field (Tomcat holds fields to its limit). */
    private String manifest(MultipartHttpServletRequest request) {
        MultipartFile file = request.getFile("manifest");
        return file != null ? parser.manifest(file) : request.getParameter("manifest");
    }

    private BatchView view(IngestBatch b, boolean allItems) {
        Map<ItemState, Integer> c = items.counts(b.id());
        return new BatchView(b.id(), b.state(), b.total(), c.get(ItemState.STORED), c.get(ItemState.DUPLICATE),
                c.get(ItemState.FAILED), c.get(ItemState.PENDING), b.createdAt(), b.updatedAt(),
                items.statuses(b.id(), allItems));
    }

    private static URI location(UUID id) {
        return URI.create("/api/v1/gallery/batches/" + id);
    }
}
