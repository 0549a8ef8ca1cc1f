package org.reid.service.gallery;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.reid.service.gallery.GalleryViews.EntryView;
import org.reid.service.gallery.GalleryViews.IdentityView;
import org.reid.service.gallery.GalleryViews.PageView;
import org.reid.service.problem.Rejection;
import org.reid.service.store.CropImages;
import org.reid.service.store.GalleryEntry;
import org.reid.service.store.GalleryEntries;
import org.reid.service.store.Identity;
import org.reid.service.store.PageOf;
import org.reid.service.store.Identities;
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

    private final Identities identities;
    private final GalleryEntries entries;
    private final CropImages crops;
    private final GalleryEraser eraser;

    public GalleryController(Identities identities, GalleryEntries entries, CropImages crops,
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
        checkPage(page, size);
        PageOf<Identity> p = identities.page(label == null || label.isBlank() ? null : label.trim(), page, size);
        return new PageView<>(describe(p.content()), page, size, p.total(), p.totalPages(size));
    }

    @Operation(summary = "One identity")
    @GetMapping("/identities/{id}")
    public IdentityView identity(@PathVariable long id) {
        Identity i = identities.find(id).orElseThrow(() -> Rejection.notFound("identity", id));
        return describe(List.of(i)).get(0);
    }

    @Operation(summary = "An identity's entries, paged")
    @GetMapping("/identities/{id}/entries")
    public PageView<EntryView> entriesOf(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        Identity i = identities.find(id).orElseThrow(() -> Rejection.notFound("identity", id));
        checkPage(page, size);
        PageOf<GalleryEntry> p = entries.pageOfIdentity(id, page, size);
        return new PageView<>(p.content().stream().map(e -> view(e, i.label())).toList(), page, size,
                p.total(), p.totalPages(size));
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
        GalleryEntry e = entries.find(id).orElseThrow(() -> Rejection.notFound("entry", id));
        return view(e, identities.find(e.identityId()).map(Identity::label).orElse(null));
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
        List<Long> ids = page.stream().map(Identity::id).toList();
        Map<Long, GalleryEntries.Summary> summary = entries.summarize(ids);
        Map<Long, SortedSet<Integer>> cameras = entries.camerasOf(ids);
        List<IdentityView> out = new ArrayList<>();
        for (Identity i : page) {
            GalleryEntries.Summary s = summary.get(i.id());
            out.add(new IdentityView(i.id(), i.label(), s == null ? 0 : s.entries(),
                    new ArrayList<>(cameras.getOrDefault(i.id(), new TreeSet<>())),
                    s == null ? null : s.firstSeen(), s == null ? null : s.lastSeen(),
                    s == null ? null : GalleryViews.imageUrl(s.thumbnailEntryId())));
        }
        return out;
    }

    private static EntryView view(GalleryEntry e, String label) {
        return new EntryView(e.id(), e.identityId(), label, e.cameraId(), e.capturedAt(), e.sha256(),
                e.contentType(), e.width(), e.height(), e.source(), e.createdAt(), GalleryViews.imageUrl(e.id()));
    }

    private static void checkPage(int page, int size) {
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
    }
}
