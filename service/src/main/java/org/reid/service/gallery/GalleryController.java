package org.reid.service.gallery;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.reid.service.gallery.GalleryViews.EntryView;
import org.reid.service.gallery.GalleryViews.IdentityView;
import org.reid.service.gallery.GalleryViews.PageView;
import org.reid.service.problem.Rejection;
import org.reid.service.store.CropImages;
import org.reid.service.store.GalleryEntry;
import org.reid.service.store.GalleryEntryRepository;
import org.reid.service.store.Identity;
import org.reid.service.store.IdentityRepository;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Identities and their entries: list, get, image download, erasure. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "gallery")
public class GalleryController {
    private static final int MAX_PAGE_SIZE = 200;

    private final IdentityRepository identities;
    private final GalleryEntryRepository entries;
    private final CropImages crops;
    private final GalleryEraser eraser;

    public GalleryController(IdentityRepository identities, GalleryEntryRepository entries, CropImages crops,
            GalleryEraser eraser) {
        this.identities = identities;
        this.entries = entries;
        this.crops = crops;
        this.eraser = eraser;
    }

    @Operation(summary = "Identities, paged, optionally by label prefix")
    @GetMapping("/identities")
    public PageView<IdentityView> identities(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size, @RequestParam(required = false) String label) {
        PageRequest request = pageRequest(page, size, Sort.by("label"));
        Page<Identity> p = label == null || label.isBlank() ? identities.findAll(request)
                : identities.findByLabelStartingWith(label.trim(), request);
        return new PageView<>(describe(p.getContent()), page, size, p.getTotalElements(), p.getTotalPages());
    }

    @Operation(summary = "One identity")
    @GetMapping("/identities/{id}")
    public IdentityView identity(@PathVariable long id) {
        Identity i = identities.findById(id).orElseThrow(() -> Rejection.notFound("identity", id));
        return describe(List.of(i)).get(0);
    }

    @Operation(summary = "An identity's entries, paged")
    @GetMapping("/identities/{id}/entries")
    public PageView<EntryView> entriesOf(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        Identity i = identities.findById(id).orElseThrow(() -> Rejection.notFound("identity", id));
        Page<GalleryEntry> p = entries.findByIdentityId(id, pageRequest(page, size, Sort.by("capturedAt", "id")));
        return new PageView<>(p.getContent().stream().map(e -> view(e, i.getLabel())).toList(), page, size,
                p.getTotalElements(), p.getTotalPages());
    }

    @Operation(summary = "Erase an identity: its crops, embeddings and index entries")
    @DeleteMapping("/identities/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteIdentity(@PathVariable long id) {
        eraser.eraseIdentity(id);
    }

    @Operation(summary = "One entry")
    @GetMapping("/entries/{id}")
    public EntryView entry(@PathVariable long id) {
        GalleryEntry e = entries.findById(id).orElseThrow(() -> Rejection.notFound("entry", id));
        return view(e, identities.findById(e.getIdentityId()).map(Identity::getLabel).orElse(null));
    }

    @Operation(summary = "The stored crop of an entry")
    @GetMapping("/entries/{id}/image")
    public ResponseEntity<byte[]> image(@PathVariable long id) {
        CropImages.Crop crop = crops.find(id).orElseThrow(() -> Rejection.notFound("entry", id));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(crop.contentType()))
                .cacheControl(CacheControl.noStore())
                .body(crop.bytes());
    }

    @Operation(summary = "Erase an entry: its crop, embeddings and index entry")
    @DeleteMapping("/entries/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteEntry(@PathVariable long id) {
        eraser.eraseEntry(id);
    }

    private List<IdentityView> describe(List<Identity> page) {
        List<Long> ids = page.stream().map(Identity::getId).toList();
        Map<Long, Object[]> summary = new HashMap<>();
        Map<Long, TreeSet<Integer>> cameras = new HashMap<>();
        if (!ids.isEmpty()) {
            for (Object[] row : entries.summarize(ids)) {
                summary.put((Long) row[0], row);
            }
            for (Object[] row : entries.camerasOf(ids)) {
                cameras.computeIfAbsent((Long) row[0], k -> new TreeSet<>()).add((Integer) row[1]);
            }
        }
        List<IdentityView> out = new ArrayList<>();
        for (Identity i : page) {
            Object[] s = summary.get(i.getId());
            out.add(new IdentityView(i.getId(), i.getLabel(), s == null ? 0 : (Long) s[1],
                    new ArrayList<>(cameras.getOrDefault(i.getId(), new TreeSet<>())),
                    s == null ? null : (Instant) s[2], s == null ? null : (Instant) s[3],
                    s == null ? null : GalleryViews.imageUrl((Long) s[4])));
        }
        return out;
    }

    private static EntryView view(GalleryEntry e, String label) {
        return new EntryView(e.getId(), e.getIdentityId(), label, e.getCameraId(), e.getCapturedAt(), e.getSha256(),
                e.getContentType(), e.getWidth(), e.getHeight(), e.getSource(), e.getCreatedAt(), GalleryViews.imageUrl(e.getId()));
    }

    private static PageRequest pageRequest(int page, int size, Sort sort) {
        if (page < 0) {
            throw Rejection.outOfRange("page", "page must be >= 0, got " + page, ">= 0");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw Rejection.outOfRange("size", "size must be between 1 and " + MAX_PAGE_SIZE + ", got " + size,
                    "1.." + MAX_PAGE_SIZE);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw Rejection.outOfRange("page", "page * size must stay below 2^31, got page " + page + " of size " + size,
                    "page * size < 2147483648");
        }
        return PageRequest.of(page, size, sort);
    }
}
