package org.reid.service.gallery;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.SwitchTarget;
import org.reid.service.store.GalleryEntries;
import org.reid.service.store.Identity;
import org.reid.service.store.Identities;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erasure: an entry or a whole identity goes from PostgreSQL (crop bytes, embeddings of every model
 * version, the batch items that named it, pending ones included) in one transaction, then from the
 * index files. If the service stops between the two, the index no longer matches PostgreSQL (its
 * checkpoint is behind) and is caught up at the next start.
 */
@Service
public class GalleryEraser {
    private final JdbcTemplate jdbc;
    private final GalleryEntries entries;
    private final Identities identities;
    private final ActiveModel models;
    private final SwitchTarget switchTarget;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    public GalleryEraser(JdbcTemplate jdbc, GalleryEntries entries, Identities identities, ActiveModel models,
            SwitchTarget switchTarget, AuditLog audit, TransactionTemplate tx, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.entries = entries;
        this.identities = identities;
        this.models = models;
        this.switchTarget = switchTarget;
        this.audit = audit;
        this.tx = tx;
        this.events = events;
    }

    public void eraseEntry(long entryId) {
        if (entries.find(entryId).isEmpty()) {
            throw Rejection.notFound("entry", entryId);
        }
        erase(() -> List.of(entryId), null, "entry:" + entryId, "gallery.delete-entry");
    }

    public void eraseIdentity(long identityId) {
        Identity identity = identities.find(identityId).orElseThrow(() -> Rejection.notFound("identity", identityId));
        erase(() -> entries.idsOfIdentity(identityId), identity, "identity:" + identityId, "gallery.delete-identity");
        events.publishEvent(new IdentityErased(identity.label()));
    }

    /** Retention: erases entries captured before {@code cutoff}, and identities left without entries. */
    public int eraseCapturedBefore(Instant cutoff) {
        List<Long> ids = entries.idsCapturedBefore(cutoff);
        if (ids.isEmpty()) {
            return 0;
        }
        erase(() -> ids, null, "captured-before:" + cutoff, "retention.delete");
        tx.executeWithoutResult(s -> jdbc.update("delete from identity i where not exists "
                + "(select 1 from gallery_entry g where g.identity_id = i.id)"));
        return ids.size();
    }

    /**
     * Erases the entries {@code entryIds} reads, and the identity if given. Ingestion chunks of this
     * replica are kept out meanwhile (one in flight could otherwise index an erased entry after the
     * index delete), and the identity's pending items are locked and deleted before its entries are
     * read, so a chunk of any replica either stored its crops before (they are erased here) or finds
     * its items gone and stores nothing: the person is not stored again by a batch still running.
     */
    private void erase(Supplier<List<Long>> entryIds, Identity identity, String target, String action) {
        long stamp = switchTarget.pauseWrites();
        try {
            List<Long> erased = tx.execute(s -> {
                if (identity != null) {
                    jdbc.queryForList("select item_index from ingest_item where identity_label = ? and state = 'PENDING' "
                            + "order by batch_id, item_index for update", Integer.class, identity.label());
                }
                List<Long> ids = entryIds.get();
                for (List<Long> part : partition(ids, 1000)) {
                    Long[] idsOfPart = part.toArray(Long[]::new);
                    jdbc.update(withoutItems("entry_id = any(?)"), (Object) idsOfPart);
                    jdbc.update("delete from gallery_entry where id = any(?)", (Object) idsOfPart);
                }
                if (identity != null) {
                    // the items that named the identity but stored nothing hold its label and file name
                    // too: those that failed, and those still pending (they will not store it again)
                    jdbc.update(withoutItems("identity_label = ? and entry_id is null"), identity.label());
                    jdbc.update("delete from identity where id = ?", identity.id());
                }
                audit.record(action, target, ids.size(), null);
                return ids;
            });
            if (!erased.isEmpty() && models.isReady()) {
                models.current().index().delete(erased);
                switchTarget.get().ifPresent(t -> t.index().delete(erased));
            }
        } finally {
            switchTarget.resumeWrites(stamp);
        }
    }

    /**
     * Deletes the batch items matching {@code where}, taking them off their batches' totals so that
     * a batch's stored, duplicate, failed and pending items still add up to its total.
     */
    private static String withoutItems(String where) {
        return "with gone as (delete from ingest_item where " + where + " returning batch_id) "
                + "update ingest_batch b set total = b.total - g.n "
                + "from (select batch_id, count(*) as n from gone group by batch_id) g where b.id = g.batch_id";
    }

    private static List<List<Long>> partition(List<Long> ids, int size) {
        java.util.ArrayList<List<Long>> parts = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i += size) {
            parts.add(ids.subList(i, Math.min(ids.size(), i + size)));
        }
        return parts;
    }
}
